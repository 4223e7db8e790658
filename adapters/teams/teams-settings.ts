// The Teams adapter's settings, read from the validated config (src/config/config.ts checks the names and
// which combinations make sense). Two modes: authenticated (MICROSOFT_APP_ID and its secret or managed
// identity: every request to /api/messages must carry a valid Bot Framework token) and local
// (TEAMS_ALLOW_UNAUTHENTICATED=true without an app id: any request is accepted, so the adapter listens on
// 127.0.0.1 only and answers only service URLs on this machine). Nothing else starts.
import { TEAMS_DEFAULT_PORT, type Config, type TeamsAppType } from '../../src/config/config.ts';

export const MESSAGES_PATH = '/api/messages';
export const HEALTH_PATH = '/api/health';

export type TeamsAuth =
  | { kind: 'authenticated'; appId: string; appType: TeamsAppType; password: string | null; tenantId: string | null }
  | { kind: 'local' };

export interface TeamsSettings {
  auth: TeamsAuth;
  port: number;
  /** where the server listens: every interface when authenticated, loopback when local */
  host: string;
}

type TeamsConfig = Pick<Config, 'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TENANT_ID' | 'MICROSOFT_APP_TYPE' | 'TEAMS_ALLOW_UNAUTHENTICATED' | 'TEAMS_PORT'>;

export class TeamsConfigError extends Error {}

/** True when the configuration asks for the Teams adapter (an app id, or local mode said out loud). */
export function teamsConfigured(config: TeamsConfig): boolean {
  return Boolean(config.MICROSOFT_APP_ID || config.TEAMS_ALLOW_UNAUTHENTICATED);
}

export const NOT_CONFIGURED =
  'Teams is not configured: set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID (from the Azure Bot resource), ' +
  'or, for local tests against a fake connector or the Bot Framework Emulator only, TEAMS_ALLOW_UNAUTHENTICATED=true';

export function teamsSettings(config: TeamsConfig): TeamsSettings {
  const port = config.TEAMS_PORT ?? TEAMS_DEFAULT_PORT;
  if (config.MICROSOFT_APP_ID) {
    if (config.TEAMS_ALLOW_UNAUTHENTICATED) throw new TeamsConfigError('TEAMS_ALLOW_UNAUTHENTICATED=true cannot be used with MICROSOFT_APP_ID: with an app id every request must carry a valid token');
    const tenantId = config.MICROSOFT_APP_TENANT_ID ?? null;
    const appType: TeamsAppType = config.MICROSOFT_APP_TYPE ?? (tenantId ? 'SingleTenant' : 'MultiTenant');
    const password = config.MICROSOFT_APP_PASSWORD ?? null;
    if (appType === 'UserAssignedMSI') {
      if (!tenantId) throw new TeamsConfigError('MICROSOFT_APP_TENANT_ID is required for MICROSOFT_APP_TYPE=UserAssignedMSI');
      if (password) throw new TeamsConfigError('MICROSOFT_APP_PASSWORD must not be set for MICROSOFT_APP_TYPE=UserAssignedMSI');
    } else {
      if (!password) throw new TeamsConfigError(`MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID (${appType})`);
      if (appType === 'SingleTenant' && !tenantId) throw new TeamsConfigError('MICROSOFT_APP_TENANT_ID is required for MICROSOFT_APP_TYPE=SingleTenant');
    }
    return { auth: { kind: 'authenticated', appId: config.MICROSOFT_APP_ID, appType, password, tenantId }, port, host: '::' };
  }
  if (config.TEAMS_ALLOW_UNAUTHENTICATED) return { auth: { kind: 'local' }, port, host: '127.0.0.1' };
  throw new TeamsConfigError(NOT_CONFIGURED);
}

/** The app id the adapter posts as ('' in local mode). */
export const appIdOf = (s: TeamsSettings): string => (s.auth.kind === 'authenticated' ? s.auth.appId : '');

/** SingleTenant and managed-identity bots serve their own tenant only. */
export const homeTenantOf = (s: TeamsSettings): string | null =>
  s.auth.kind === 'authenticated' && s.auth.appType !== 'MultiTenant' ? s.auth.tenantId : null;
