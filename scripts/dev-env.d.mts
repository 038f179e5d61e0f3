/** Types of scripts/dev-env.mjs (plain JavaScript, run by `npm start` without a build step). */
export declare const DEV_SERVER_VARS: Readonly<{ ALLOW_DEV_TOKENS: "true"; ALLOW_HTTP_WEBHOOKS: "true" }>;
export declare function parseVars(text: string): Record<string, string>;
export declare function newSecretKeys(): string;
export declare function ensureDevVars(path?: string): { vars: Record<string, string>; created: boolean; added: string[] };
export declare function devUserToken(secret: string, userId: string, ttlSeconds?: number, audience?: string): Promise<string>;
export declare function waitForHealthy(url: string, timeoutMs?: number): Promise<void>;
