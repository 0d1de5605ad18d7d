export { createApp, type AppDeps, type App } from './app';
export { createLocalTokenService, createCognitoVerifier, type TokenVerifier } from './auth';
