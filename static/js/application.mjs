// Learning from Reviews Toolkit: site JavaScript (ES module, no inline scripts).
//
// Loaded by templates/base.html with <script type="module">, so it only runs
// in browsers that GOV.UK Frontend supports. Imports are relative so they work
// under any STATIC_URL.
import { initAll } from '../govuk/govuk-frontend.min.js'

// The job of GOV.UK's usual inline <body> snippet, which a strict CSP forbids:
// a browser that runs a module script supports GOV.UK Frontend.
document.body.classList.add('govuk-frontend-supported', 'js-enabled')

// GOV.UK Frontend components with a data-module attribute: Exit this page,
// service navigation, skip link, buttons, accordions, details, tabs, etc.
initAll()

// MoJ Frontend "filter a list" (show/hide the filter panel on small screens).
// Only fetched on pages that have a filter.
const $filters = document.querySelectorAll('[data-module="moj-filter"]')
if ($filters.length) {
  import('../moj/moj-frontend.min.js')
    .then(({ FilterToggleButton }) => {
      $filters.forEach(($filter) => {
        // Options can be overridden per page with data attributes, e.g.
        // data-start-hidden="false" or data-toggle-button.show-text="Show filters".
        // The toggle button is added to the first .moj-action-bar__filter on the page.
        new FilterToggleButton($filter) // eslint-disable-line no-new
      })
    })
    .catch((error) => {
      console.error('MoJ filter could not be initialised', error)
    })
}
