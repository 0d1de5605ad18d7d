import { CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { DEFAULT_TABLE_NAME, TABLE_DEFINITION, type TableDefinition } from '@safer-places/store/table';
import { Api } from './api';
import { Auth } from './auth';
import type { StageConfig } from './config';
import { ScheduledImporter } from './importer';
import { Monitoring } from './monitoring';
import { Web } from './web';

export interface SaferPlacesStackProps extends StackProps {
  config: StageConfig;
  /** The built web app (apps/web/dist in bin/app.ts; tests pass a folder with an index.html). */
  webDistPath: string;
  /** The WAF web ACL for CloudFront (EdgeStack), when the stage has one. */
  webAclArn?: string | null;
}

const attribute = (k: TableDefinition['partitionKey']) => ({ name: k.name, type: AttributeType.STRING });

/**
 * Safer Places in one stack: the DynamoDB table (same definition as local start-up), the API on Lambda behind an HTTP
 * API with a Cognito JWT authorizer, the monthly police.uk import, the web app on S3 + CloudFront, and alarms.
 */
export class SaferPlacesStack extends Stack {
  readonly table: TableV2;
  readonly auth: Auth;
  readonly api: Api;
  readonly importer: ScheduledImporter | null;
  readonly web: Web;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: SaferPlacesStackProps) {
    super(scope, id, { description: `Safer Places (${props.config.stage})`, ...props });
    const { config } = props;
    const prod = config.stage === 'prod';
    Tags.of(this).add('project', 'safer-places');
    Tags.of(this).add('stage', config.stage);

    this.table = new TableV2(this, 'Table', {
      tableName: `${DEFAULT_TABLE_NAME}-${config.stage}`,
      partitionKey: attribute(TABLE_DEFINITION.partitionKey),
      sortKey: attribute(TABLE_DEFINITION.sortKey),
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((g) => ({
        indexName: g.indexName,
        partitionKey: attribute(g.partitionKey),
        sortKey: attribute(g.sortKey),
      })),
    });

    this.auth = new Auth(this, 'Auth', {
      prod,
      stage: config.stage,
      signInDomainPrefix: config.signInDomainPrefix,
      extraSiteUrls: config.extraSiteUrls,
      emailFrom: config.emailFrom,
    });
    this.api = new Api(this, 'Api', { config, table: this.table, auth: this.auth });
    this.importer =
      config.importForces.length > 0
        ? new ScheduledImporter(this, 'Importer', {
            prod,
            stage: config.stage,
            reservedConcurrency: config.importerReservedConcurrency,
            table: this.table,
            force: config.force,
            districts: config.districts,
            forces: config.importForces,
            concurrency: config.importConcurrency,
            dataset: config.importDataset,
          })
        : null;
    this.web = new Web(this, 'Web', {
      config,
      webDistPath: props.webDistPath,
      httpApi: this.api.httpApi,
      auth: this.auth,
      webAclArn: props.webAclArn ?? null,
    });
    // Users come back from the managed login to the site (and leave it there when they sign out); a custom domain is
    // among the extra site URLs (config.ts).
    this.auth.setSiteUrl(this.web.cloudFrontUrl);
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: config.stage,
      alarmEmail: config.alarmEmail,
      httpApi: this.api.httpApi,
      apiFunction: this.api.function.fn,
      apiLogGroup: this.api.function.logGroup,
      importer: this.importer && { function: this.importer.function.fn, logGroup: this.importer.function.logGroup, failures: this.importer.failures },
      table: this.table,
      apiLatencyP95AlarmMs: config.apiLatencyP95AlarmMs,
      apiConcurrencyAlarm: config.apiConcurrencyAlarm,
    });

    new CfnOutput(this, 'SiteUrl', { value: this.web.url, description: 'Open this in a browser' });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.web.distribution.distributionDomainName,
      description: 'With a custom domain: point its DNS record (CNAME, or a Route 53 alias) here',
    });
    new CfnOutput(this, 'DashboardName', { value: `SaferPlaces-${config.stage}`, description: 'The CloudWatch dashboard (docs/operations.md)' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'npm run import -- --target aws --table <this>' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.webClient.userPoolClientId });
    new CfnOutput(this, 'SignInDomain', { value: this.auth.signInUrl, description: "Cognito's managed login pages (the site sends users there)" });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn, description: 'Subscribe to receive alarms' });
    if (this.importer) {
      new CfnOutput(this, 'ImporterFunctionName', { value: this.importer.function.fn.functionName });
      new CfnOutput(this, 'NationalImportStateMachine', {
        value: this.importer.national.stateMachine.stateMachineArn,
        description: 'aws stepfunctions start-execution --state-machine-arn <this> --input \'{"forces":["<force id>"]}\' (docs/operations/data-import.md)',
      });
      new CfnOutput(this, 'ImporterLogGroup', { value: this.importer.function.logGroup.logGroupName });
      new CfnOutput(this, 'ImporterFailedRunsQueue', {
        value: this.importer.failures.queueUrl,
        description: 'Failed import runs wait here 14 days (docs/operations.md, ImportFailedRuns)',
      });
    }
  }
}
