import './runtime/install-source-maps';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { createApp } from './app';
import { lambdaDeps, lambdaTelemetry, withTelemetry } from './runtime/lambda-deps';

/** Built once per execution environment (the init phase), so a warm invocation only routes. */
const telemetry = lambdaTelemetry();
const app = handle(createApp(lambdaDeps(process.env, telemetry)));

/** The HTTP API (payload 2.0) calls this: the Hono app, with Powertools logs, metrics and a trace around it. */
export const handler = withTelemetry(telemetry, (event: LambdaEvent, context) => app(event, context));
