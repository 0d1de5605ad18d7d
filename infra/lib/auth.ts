import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '@safer-places/schemas';

/** The Cognito custom attribute the API reads the organisation from (apps/api/src/auth.ts, createCognitoVerifier). */
export const ORG_ATTRIBUTE = 'orgId';

/** Group precedence: a user in several groups gets the most capable role (the API's ROLE_PRIORITY, same order). */
const GROUPS: Record<Role, { precedence: number; description: string }> = {
  admin: { precedence: 0, description: 'Administrators: everything, including managing users of their organisation' },
  analyst: { precedence: 1, description: 'Analysts: crime analysis and Safer Streets areas' },
  'bid-writer': { precedence: 2, description: 'Bid writers: Safer Streets areas and bids' },
  planner: { precedence: 3, description: 'Planners: CCTV cameras, help points and PSPO zones' },
  viewer: { precedence: 4, description: 'Viewers: read only' },
};

export interface AuthProps {
  prod: boolean;
}

/**
 * Sign-in for partnership staff. Admins invite users (no self sign-up); each user belongs to one organisation, set by an
 * admin in the custom:orgId attribute, which the web client can read but never write; the role is the user's group.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  /** Token issuer URL (https://cognito-idp.<region>.amazonaws.com/<pool id>), for the JWT authorizer and the Lambda. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      // Mutable so an admin can move a user to another organisation (AdminUpdateUserAttributes); users cannot, because
      // no app client lists it among its write attributes.
      customAttributes: { [ORG_ATTRIBUTE]: new StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection blocks sign-ins Cognito judges risky and passwords known from breaches.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: 'Your Safer Places account',
        emailBody:
          'You have been invited to Safer Places. Sign in with the user name {username} and the temporary password {####} ' +
          'within 7 days; you will choose a new password and set up an authenticator app.',
      },
      deletionProtection: props.prod,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    for (const role of ROLES) {
      new CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        precedence: GROUPS[role].precedence,
        description: GROUPS[role].description,
      });
    }

    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // The web app signs in with SRP against the pool; no hosted UI, so no OAuth flows or callback URLs.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }).withCustomAttributes(ORG_ATTRIBUTE),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    this.issuerUrl = this.userPool.userPoolProviderUrl;
  }
}
