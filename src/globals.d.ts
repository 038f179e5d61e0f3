// Declares the main module so `exports` from "cloudflare:workers" (used by the tests) is typed.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}
