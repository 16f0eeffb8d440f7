// Session packs: drag items to reorder them (an ES module, no inline script).
//
// Without JavaScript the Move up / Move down buttons (POST forms) do the same job, and
// they keep working here: this module only adds dragging. The new order is POSTed as
// JSON {"order": [item ids]} to the list's data-reorder-url, with the CSRF token from
// the page's hidden csrfmiddlewaretoken input. If saving fails, the page reloads to
// show the order the server has.

const LIST_SELECTOR = '[data-module="app-pack-reorder"]'

function csrfToken () {
  const input = document.querySelector('input[name="csrfmiddlewaretoken"]')
  return input ? input.value : ''
}

function itemsOf ($list) {
  return Array.from($list.querySelectorAll(':scope > .app-pack-item'))
}

function announce (message) {
  const $status = document.getElementById('reorder-status')
  if ($status) {
    $status.textContent = message
  }
}

// After a move: renumber the items and show only the Move buttons that can act.
function refresh ($list) {
  const $items = itemsOf($list)
  $items.forEach(($item, index) => {
    const $number = $item.querySelector('.app-pack-item__number')
    if ($number) {
      $number.textContent = `${index + 1}.`
    }
    const $up = $item.querySelector('.app-move-up')
    const $down = $item.querySelector('.app-move-down')
    if ($up) $up.hidden = index === 0
    if ($down) $down.hidden = index === $items.length - 1
  })
}

async function save ($list) {
  const order = itemsOf($list).map(($item) => Number($item.dataset.itemId))
  $list.setAttribute('aria-busy', 'true')
  try {
    const response = await fetch($list.dataset.reorderUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'X-CSRFToken': csrfToken(),
        'X-Requested-With': 'XMLHttpRequest'
      },
      body: JSON.stringify({ order })
    })
    if (!response.ok) {
      throw new Error(`the server answered ${response.status}`)
    }
    announce('New order saved.')
  } catch {
    announce('The new order could not be saved. Reloading the pack.')
    window.location.reload()
  } finally {
    $list.removeAttribute('aria-busy')
  }
}

function initList ($list) {
  let $dragged = null
  let before = ''
  const orderOf = () => itemsOf($list).map(($item) => $item.dataset.itemId).join(',')

  $list.classList.add('app-pack-items--sortable')
  const $hint = document.querySelector('.app-reorder-hint')
  if ($hint) $hint.hidden = false

  itemsOf($list).forEach(($item) => {
    $item.setAttribute('draggable', 'true')
  })

  $list.addEventListener('dragstart', (event) => {
    const $item = event.target.closest && event.target.closest('.app-pack-item')
    // Let people select text in the forms rather than drag the whole item.
    if (!$item || event.target.closest('input, textarea, select, details[open]')) {
      event.preventDefault()
      return
    }
    $dragged = $item
    before = orderOf()
    $item.classList.add('app-pack-item--dragging')
    event.dataTransfer.effectAllowed = 'move'
    event.dataTransfer.setData('text/plain', $item.dataset.itemId)
  })

  $list.addEventListener('dragover', (event) => {
    if (!$dragged) return
    const $over = event.target.closest && event.target.closest('.app-pack-item')
    if (!$over || $over === $dragged || $over.parentElement !== $list) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
    const box = $over.getBoundingClientRect()
    const after = event.clientY > box.top + box.height / 2
    $list.insertBefore($dragged, after ? $over.nextElementSibling : $over)
  })

  $list.addEventListener('drop', (event) => {
    if ($dragged) event.preventDefault()
  })

  $list.addEventListener('dragend', () => {
    if (!$dragged) return
    $dragged.classList.remove('app-pack-item--dragging')
    $dragged = null
    if (orderOf() !== before) {
      refresh($list)
      save($list)
    }
  })
}

document.querySelectorAll(LIST_SELECTOR).forEach(initList)
