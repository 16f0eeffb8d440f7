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

// On a small screen the open filter covers the whole page (MoJ's full-screen panel), so
// while it is open the page behind it is inert: Tab stays on the panel and never lands on
// a link hidden behind it (WCAG 2.2 2.4.11). Escape closes it, as "Close" does, and focus
// goes back to the "Show filter" button. Without JavaScript there is no panel: the filter
// is part of the page (static/css/nojs.css).
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])'

function keepFocusInOpenFilter ($filter, toggle) {
  const $panel = $filter.closest('.moj-filter-layout__filter') || $filter
  const small = window.matchMedia(toggle.config.bigModeMediaQuery)
  let $inert = []

  const isOpen = () => !small.matches && !$filter.classList.contains('moj-js-hidden')

  // Every element beside the panel and beside each of its ancestors, up to <body>.
  const behind = () => {
    const elements = []
    for (let $node = $panel; $node && $node !== document.body; $node = $node.parentElement) {
      for (const $sibling of $node.parentElement.children) {
        if ($sibling !== $node && !$sibling.inert && !['SCRIPT', 'LINK', 'STYLE'].includes($sibling.tagName)) {
          elements.push($sibling)
        }
      }
    }
    return elements
  }

  const sync = () => {
    if (isOpen() && !$inert.length) {
      $inert = behind()
      $inert.forEach(($element) => { $element.inert = true })
    } else if (!isOpen() && $inert.length) {
      $inert.forEach(($element) => { $element.inert = false })
      $inert = []
    }
  }

  const tabbable = () => Array.from($panel.querySelectorAll(FOCUSABLE))
    .filter(($element) => $element.getClientRects().length && !$element.closest('[inert]'))

  // Every way MoJ's script opens or closes the panel ("Show filter", "Close", the screen
  // growing or shrinking) goes through these two, so the page is inert exactly while it is
  // open, and no longer inert by the time "Close" moves focus back to "Show filter".
  const show = toggle.showMenu.bind(toggle)
  const hide = toggle.hideMenu.bind(toggle)
  toggle.showMenu = () => { show(); sync() }
  toggle.hideMenu = () => { hide(); sync() }
  small.addEventListener('change', sync)
  sync()

  document.addEventListener('keydown', (event) => {
    if (!isOpen()) return
    if (event.key === 'Escape') {
      event.preventDefault()
      toggle.hideMenu()
      toggle.$menuButton.focus()
    } else if (event.key === 'Tab') {
      // Round and round the panel (no browser toolbar to reach in between on a phone).
      const $all = tabbable()
      if (!$all.length) return
      const $first = $all[0]
      const $last = $all[$all.length - 1]
      const $active = document.activeElement
      const outside = !$panel.contains($active)
      if (event.shiftKey && ($active === $first || $active === $filter || outside)) {
        event.preventDefault()
        $last.focus()
      } else if (!event.shiftKey && ($active === $last || outside)) {
        event.preventDefault()
        $first.focus()
      }
    }
  })
}

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
        const toggle = new FilterToggleButton($filter)
        if (toggle.$menuButton) keepFocusInOpenFilter($filter, toggle)
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
