import { App } from 'aws-cdk-lib';
import { SaferPlacesStack } from '../lib/safer-places-stack';

const app = new App();
const stage = (app.node.tryGetContext('stage') as string | undefined) ?? 'dev';
new SaferPlacesStack(app, `SaferPlaces-${stage}`, {
  stage,
  env: { region: (app.node.tryGetContext('region') as string | undefined) ?? 'eu-west-2' },
});
