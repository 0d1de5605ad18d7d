import { Aws, Duration, Fn, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClientIdentityProvider,
  UserPoolEmail,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PERMISSIONS, ROLES, type Role } from '@safer-places/schemas';

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
  stage: string;
  /** The managed login domain prefix; default safer-places-<stage>-<12 hex characters of the stack's id>. */
  signInDomainPrefix: string | null;
  /** Further site addresses (custom domains), as https://host/, allowed as callback and sign-out URLs. */
  extraSiteUrls: string[];
  /**
   * Send Cognito's e-mails (invitations, reset codes) through Amazon SES from this address, whose domain must be a
   * verified SES identity in the stack's region (docs/operations.md, "Custom domain"); null: Cognito's own sender.
   */
  emailFrom: string | null;
}

/** The web client's OAuth scopes: openid for the ID token (the API's credential), email and profile for its claims. */
export const WEB_CLIENT_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE];

/**
 * Sign-in for partnership staff. Admins invite users (no self sign-up); each user belongs to one organisation, set by an
 * admin in the custom:orgId attribute, which the web client can read but never write; the role is the user's group.
 *
 * Users sign in on Cognito's managed login pages (OAuth 2.0 authorization code grant with PKCE, the web app being a
 * public client without a secret): those pages handle the first password change, setting up and using the
 * authenticator app, and forgotten passwords, so the web app never sees a password.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  /** The managed login domain (a Cognito prefix domain). */
  readonly domain: UserPoolDomain;
  /** Its base URL, https://<prefix>.auth.<region>.amazoncognito.com: the web app's authorize, token, revoke and logout endpoints. */
  readonly signInUrl: string;
  /** Token issuer URL (https://cognito-idp.<region>.amazonaws.com/<pool id>), for the JWT authorizer and the Lambda. */
  readonly issuerUrl: string;
  private siteUrl: string | null = null;

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
      // Cognito's own sender allows 50 e-mails a day from no-reply@verificationemail.com; with a domain of its own the
      // partnership's address and SES's quota.
      ...(props.emailFrom && {
        email: UserPoolEmail.withSES({
          fromEmail: props.emailFrom,
          fromName: 'Safer Places',
          sesVerifiedDomain: props.emailFrom.split('@')[1]!,
        }),
      }),
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
    // Permissions on top of the role, e.g. sensitive-cameras: may see and record covert or sensitive cameras.
    for (const permission of PERMISSIONS) {
      new CfnUserPoolGroup(this, `Group-${permission}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: permission,
        precedence: 100,
        description: 'Permission, added beside a role group: may see and record covert or sensitive cameras; every such read is audited',
      });
    }

    // The callback and sign-out URL is the CloudFront site, which is created later (it needs the HTTP API, whose
    // authorizer needs this client), so it is filled in at synthesis (setSiteUrl). In CloudFormation there is no cycle:
    // client -> distribution -> HTTP API, and authorizer -> client.
    const siteUrl = Lazy.string({
      produce: () => {
        if (this.siteUrl === null) throw new Error('Auth: setSiteUrl() was not called with the CloudFront site URL');
        return `${this.siteUrl}/`;
      },
    });
    const siteUrls = [siteUrl, ...props.extraSiteUrls];
    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      // SRP: the password check the managed login pages use; refresh tokens are always allowed.
      authFlows: { userSrp: true },
      // Authorization code only (no implicit grant, no client credentials); the web app adds PKCE (S256).
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: WEB_CLIENT_SCOPES,
        callbackUrls: siteUrls,
        logoutUrls: siteUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }).withCustomAttributes(ORG_ATTRIBUTE),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    this.issuerUrl = this.userPool.userPoolProviderUrl;

    // Prefix domains are unique per region across all accounts: by default the stage and the last 12 hex digits of
    // the stack's own id (random, fixed for the stack's life), which also keeps the account id out of the address.
    const stackSuffix = Fn.select(4, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
    this.domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `safer-places-${props.stage}-${stackSuffix}` },
      // Managed login (version 2), the current hosted pages, rather than the classic hosted UI.
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows a client's pages only once the client has a style; Cognito's own default look needs no
    // images or settings of ours.
    const style = new CfnManagedLoginBranding(this, 'ManagedLoginStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.webClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    style.node.addDependency(this.domain);
    this.signInUrl = this.domain.baseUrl();
  }

  /** The CloudFront site URL (https://<distribution domain>): the sign-in callback and sign-out URL. */
  setSiteUrl(url: string): void {
    this.siteUrl = url;
  }
}
