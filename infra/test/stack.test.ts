import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DEFINITION } from '@safer-places/store/table';
import { SaferPlacesStack } from '../lib/safer-places-stack';

let template: Template;
beforeAll(() => {
  const app = new App({ context: { 'cli-telemetry': false } });
  template = Template.fromStack(new SaferPlacesStack(app, 'Test', { stage: 'dev', env: { region: 'eu-west-2' } }));
});

describe('SaferPlacesStack', () => {
  it('creates the table from the same definition as local start-up, on demand, with PITR', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('runs the API on an ARM64 Node 22 Lambda with a timeout below the HTTP API limit', () => {
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
    const [api] = Object.values(fns) as { Properties: Record<string, any> }[];
    expect(api!.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 25 });
    expect(Object.keys(api!.Properties.Environment.Variables).sort()).toEqual(['COGNITO_CLIENT_ID', 'COGNITO_ISSUER', 'NODE_OPTIONS', 'TABLE_NAME']);
  });

  it('fronts it with an HTTP API and a user pool without self sign-up', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  });
});
