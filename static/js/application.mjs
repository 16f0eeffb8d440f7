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

// The finder updates its results as filters change (progressive enhancement: without
// JavaScript, "Apply filters" submits the form as before). The new result count is
// announced to screen readers; the address bar keeps the filters, so Back and sharing
// work; the counts beside every choice are brought up to date without moving focus.
const $finder = document.querySelector('[data-module="app-live-finder"]')
if ($finder && window.fetch && window.DOMParser) {
  const $results = document.getElementById('finder-results')
  const $status = document.getElementById('finder-status')
  let timer = null
  let controller = null

  $finder.classList.add('app-live')

  // The form as a query, leaving out what is already the default (a blank choice, the
  // first page, 20 a page, the default order) so addresses stay short and shareable.
  const queryOf = (form) => {
    const data = new FormData(form)
    const searching = (data.get('q') || '').trim() !== ''
    const defaults = { page_size: '20', sort: searching ? 'relevance' : 'newest' }
    const params = new URLSearchParams()
    for (const [name, value] of data) {
      if (value === '' || name === 'page' || defaults[name] === value) continue
      params.append(name, value)
    }
    return params.toString()
  }

  const refreshFrom = (doc) => {
    const $newResults = doc.getElementById('finder-results')
    if ($newResults && $results) $results.innerHTML = $newResults.innerHTML
    // Counts beside each checkbox, radio and select option.
    doc.querySelectorAll('.moj-filter__options label[for]').forEach(($label) => {
      const $mine = $finder.querySelector(`label[for="${CSS.escape($label.getAttribute('for'))}"]`)
      if ($mine) $mine.innerHTML = $label.innerHTML
    })
    doc.querySelectorAll('.moj-filter__options select').forEach(($select) => {
      const $mine = document.getElementById($select.id)
      if (!$mine) return
      Array.from($select.options).forEach((option, i) => {
        if ($mine.options[i] && $mine.options[i].value === option.value) $mine.options[i].text = option.text
      })
    })
    const $hint = doc.getElementById('agency-hint')
    const $myHint = document.getElementById('agency-hint')
    if ($hint && $myHint) $myHint.textContent = $hint.textContent
    document.title = doc.title
  }

  const update = (push = true) => {
    const query = queryOf($finder)
    const url = `${$finder.getAttribute('action')}${query ? `?${query}` : ''}`
    if (controller) controller.abort()
    controller = new AbortController()
    if ($results) $results.setAttribute('aria-busy', 'true')
    fetch(url, { headers: { Accept: 'text/html' }, signal: controller.signal, credentials: 'same-origin' })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        return response.text()
      })
      .then((html) => {
        const doc = new DOMParser().parseFromString(html, 'text/html')
        refreshFrom(doc)
        if (push) window.history.pushState({ finder: true }, '', url)
        const $count = document.getElementById('results-heading')
        if ($status && $count) $status.textContent = `${$count.textContent.replace(/\s+/g, ' ').trim()} found`
      })
      .catch((error) => {
        if (error.name !== 'AbortError') window.location.assign(url)
      })
      .finally(() => {
        if ($results) $results.removeAttribute('aria-busy')
      })
  }

  $finder.addEventListener('change', (event) => {
    const $target = event.target
    if (!$target.matches('input[type="checkbox"], input[type="radio"], select')) return
    window.clearTimeout(timer)
    timer = window.setTimeout(() => update(), 300)
  })
  $finder.addEventListener('submit', (event) => {
    event.preventDefault()
    window.clearTimeout(timer)
    update()
  })
  window.addEventListener('popstate', () => window.location.reload())
}
