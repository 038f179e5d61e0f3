/**
 * Starts the API reference on /docs (src/routes/system.ts, which names the document in `#app`'s
 * `data-url`) from the pinned copy of Scalar under
 * /vendor/ — no CDN. Its default fonts come from Scalar's servers, so they are off: the
 * page uses the system fonts and loads nothing from another origin.
 */
/* global Scalar */
const app = document.getElementById("app");
Scalar.createApiReference(app, { url: app.dataset.url, withDefaultFonts: false });
