import { handle } from 'hono/aws-lambda';
import { createApp } from './app';
import { lambdaDeps } from './runtime/lambda-deps';

export const handler = handle(createApp(lambdaDeps(process.env)));
