// Runs first in <body>, before the page is painted (a classic script, so it blocks for a
// moment): GOV.UK Frontend's "supported" and js-enabled classes, which its components'
// styles depend on, are there from the first paint and nothing shifts when
// application.mjs starts. The job of GOV.UK's inline snippet, which our CSP forbids.
document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
