/**
 * The HTTP application: middleware, one error handler, and one router per resource.
 * Order matters: request id first (every response carries it), then the security headers (every
 * response, errors included: src/http/security-headers.ts), then the access log, then —
 * for /v1 — authentication, the rate limit (before any body is read) and the JSON body guard,
 * then the routes.
 */
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { Context } from "hono";
import type { AppEnv } from "./env";
import { ApiError, problemBody } from "./lib/errors";
import { newId } from "./lib/ids";
import { accessLog, authenticate, jsonBody } from "./http/middleware";
import { rateLimit } from "./http/rate-limit";
import { securityHeaders } from "./http/security-headers";
import { createRouter } from "./http/router";
import { audiences } from "./routes/audiences";
import { behaviours } from "./routes/behaviours";
import { deadLetters } from "./routes/dead-letters";
import { dev } from "./routes/dev";
import { me } from "./routes/me";
import { notificationChanges } from "./routes/notification-changes";
import { notifications } from "./routes/notifications";
import { outbox } from "./routes/outbox";
import { preferenceLinks } from "./routes/preference-links";
import { preferences } from "./routes/preferences";
import { presence } from "./routes/presence";
import { pushSubscriptions } from "./routes/push-subscriptions";
import { stats } from "./routes/stats";
import { system } from "./routes/system";
import { templates } from "./routes/templates";
import { workflows } from "./routes/workflows";
import { topics } from "./routes/topics";
import { sync } from "./routes/sync";
import { tokens } from "./routes/tokens";
import { users } from "./routes/users";

function problem(c: Context<AppEnv>, error: ApiError) {
  const { headers = {}, ...extra } = error.extra;
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  const body = problemBody(error.code, error.detail, error.status >= 500 ? { ...extra, requestId: c.get("requestId") } : extra);
  return c.body(JSON.stringify(body), error.status, { "content-type": "application/problem+json" });
}

/** Builds the app; `src/index.ts` exports its `fetch`. */
export function createApp() {
  const app = createRouter();

  app.use("*", requestId({ generator: () => newId() }));
  app.use("*", securityHeaders);
  app.use("*", accessLog);
  app.use("/v1/*", authenticate, rateLimit);
  app.use("/metrics", authenticate, rateLimit);
  app.use("/v1/*", jsonBody);

  app.route("/", system);
  app.route("/", tokens);
  app.route("/", behaviours);
  app.route("/", notifications);
  app.route("/", notificationChanges);
  app.route("/", me);
  app.route("/", preferences);
  app.route("/", preferenceLinks);
  app.route("/", presence);
  app.route("/", pushSubscriptions);
  app.route("/", users);
  app.route("/", sync);
  app.route("/", audiences);
  app.route("/", topics);
  app.route("/", templates);
  app.route("/", workflows);
  app.route("/", outbox);
  app.route("/", deadLetters);
  app.route("/", dev);
  app.route("/", stats);

  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "Server-to-server API key from the `API_KEYS` secret.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "userToken", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Short-lived user token (HS256) from `POST /v1/users/{userId}/tokens`.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Herald API",
      version: "0.1.0",
      description:
        "Edge-native notifications and events. Errors are RFC 9457 problem documents with a stable `code`. Every response carries `X-Request-Id`.",
    },
    security: [{ apiKey: [] }],
  });

  app.notFound((c) => problem(c, new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`)));

  app.onError((error, c) => {
    if (error instanceof ApiError) return problem(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return problem(c, new ApiError(error.status === 413 ? "payload_too_large" : "validation_failed", error.message || "Bad request."));
    }
    console.error(
      JSON.stringify({
        level: "error",
        msg: "unhandled error",
        requestId: c.get("requestId"),
        path: c.req.path,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );
    return problem(c, new ApiError("internal", "Something went wrong on our side. Quote the requestId when reporting it."));
  });

  return app;
}
