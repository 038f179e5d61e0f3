/** Types of scripts/deploy.mjs (plain JavaScript, run by `npm run deploy` without a build step). */
export declare const DEPLOY_CONFIG_PATH: string;
export declare function resourcesOf(toml: string): { databases: string[]; queues: string[] };
export declare function parseD1List(stdout: string): Record<string, string>;
export declare function parseQueuesList(stdout: string): string[];
export interface DeployPlan {
  createDatabases: string[];
  createQueues: string[];
}
export declare function planDeploy(wanted: { databases: string[]; queues: string[] }, existing: { databases: Record<string, string>; queues: string[] }): DeployPlan;
export declare function deployConfig(toml: string, options: { root: string; databaseIds: Record<string, string> }): string;
export declare function wrangler(args: string[], options?: { capture?: boolean }): string;
export declare function listDatabases(): Record<string, string>;
export declare function listQueues(): string[];
export declare function deploy(options: { root: string; planOnly?: boolean; log?: (line: string) => void }): { plan: DeployPlan; configPath: string | null };
