/**
 * `npm run restore-copy -w @safer-places/infra -- --from <restored table> --to <live table> [--org <orgId>] [--dry-run]`
 *
 * Point-in-time recovery always restores into a new table. This copies items from that restored table back into the
 * live one (the table the stack owns), all of them or one organisation's: deleted items come back and changed items
 * return to their restored version; items created after the restore point are left alone.
 * Credentials and region come from the usual AWS environment (AWS_PROFILE, AWS_REGION …).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, createDocumentClient, keys } from '@safer-places/store';

const USAGE = `Usage: npm run restore-copy -w @safer-places/infra -- --from <restored table> --to <live table> [options]

Copies items from a table restored with point-in-time recovery back into the live table.
Options:
  --org <orgId>      only this organisation's items (cameras, help points, PSPO zones, Safer Streets areas, areas)
  --dry-run          count what would be copied, write nothing
  --region <region>  default AWS_REGION or eu-west-2
  --endpoint <url>   another DynamoDB (tests)`;

interface Out {
  write(text: string): unknown;
}

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        org: { type: 'string' },
        'dry-run': { type: 'boolean' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    err.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.from || !values.to) {
    err.write(`--from and --to are required\n\n${USAGE}\n`);
    return 2;
  }
  if (values.from === values.to) {
    err.write('--from and --to name the same table\n');
    return 2;
  }
  if (values.org !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(values.org)) {
    err.write(`--org '${values.org}' is not an organisation id (letters, digits, - and _)\n`);
    return 2;
  }

  const doc = createDocumentClient({ ...(values.endpoint && { endpoint: values.endpoint }), ...(values.region && { region: values.region }) });
  try {
    let copied = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      // An organisation's items share one partition (ORG#<orgId>, packages/store/src/keys.ts): a Query, not a Scan.
      const page = values.org
        ? await doc.send(
            new QueryCommand({
              TableName: values.from,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': keys.orgPk(values.org) },
              ExclusiveStartKey: startKey,
            }),
          )
        : await doc.send(new ScanCommand({ TableName: values.from, ExclusiveStartKey: startKey }));
      const items = page.Items ?? [];
      if (!values['dry-run'] && items.length > 0) {
        await batchWrite(doc, values.to, items.map((Item) => ({ PutRequest: { Item } })));
      }
      copied += items.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    out.write(`${values['dry-run'] ? 'Would copy' : 'Copied'} ${copied.toLocaleString('en-GB')} item(s) from ${values.from} to ${values.to}${values.org ? ` (organisation ${values.org})` : ''}\n`);
    return 0;
  } catch (e) {
    err.write(`restore-copy failed: ${(e as Error).message}\n`);
    return 1;
  } finally {
    doc.destroy();
  }
}

function isEntryPoint(): boolean {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
