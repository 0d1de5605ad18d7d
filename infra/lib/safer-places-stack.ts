import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_TABLE_NAME, TABLE_DEFINITION } from '@safer-places/store/table';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface SaferPlacesStackProps extends StackProps {
  stage: string;
}

/** The deployable core: one table (same definition as local start-up), the API Lambda, its HTTP API and user pool. */
export class SaferPlacesStack extends Stack {
  constructor(scope: Construct, id: string, props: SaferPlacesStackProps) {
    super(scope, id, props);
    const prod = props.stage === 'prod';
    const attr = (k: { name: string }) => ({ name: k.name, type: AttributeType.STRING });

    const table = new TableV2(this, 'Table', {
      tableName: `${DEFAULT_TABLE_NAME}-${props.stage}`,
      partitionKey: attr(TABLE_DEFINITION.partitionKey),
      sortKey: attr(TABLE_DEFINITION.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((g) => ({
        indexName: g.indexName,
        partitionKey: attr(g.partitionKey),
        sortKey: attr(g.sortKey),
      })),
    });

    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: { orgId: new StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }) },
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const webClient = userPool.addClient('WebClient', { authFlows: { userSrp: true } });

    const api = new NodejsFunction(this, 'ApiFunction', {
      entry: join(REPO_ROOT, 'apps/api/src/lambda.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.seconds(25),
      logGroup: new LogGroup(this, 'ApiLogs', {
        retention: RetentionDays.THREE_MONTHS,
        removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
      environment: {
        TABLE_NAME: table.tableName,
        COGNITO_ISSUER: `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`,
        COGNITO_CLIENT_ID: webClient.userPoolClientId,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: { format: OutputFormat.CJS, minify: true, sourceMap: true, target: 'node22' },
    });
    table.grantReadWriteData(api);

    const httpApi = new HttpApi(this, 'HttpApi', {
      defaultIntegration: new HttpLambdaIntegration('ApiIntegration', api),
    });

    new CfnOutput(this, 'ApiUrl', { value: httpApi.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
  }
}
