// What test/e2e/global-setup.ts provides to these tests (declared there for the e2e project).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    heraldBase: string;
    heraldApiKey: string;
  }
}
