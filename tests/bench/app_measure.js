// One measured user action inside the app's page, for `veldwerk-bench-app`
// (run through WebDriver's "execute async script"; the app's CSP forbids
// eval, so this is plain code and the step comes in as data).
//
// arguments[0]: { action, marks }
//   action: { kind: 'click', selector, text? }      a click on the element
//           { kind: 'type', selector, char }        one character typed
//           { kind: 'clear', selector }             the field emptied
//           { kind: 'select', selector, value? }    a <select> changed (to
//                                                   the next option without value)
//   marks:  [{ name, selector?, text?, busy? }]     what shows the result:
//           an element matching `selector` (whose text contains `text`),
//           and, with `busy`, the region matching `busy` having been
//           aria-busy="true" and being "false" again (the newest query shown).
// Answers { marks: { name: ms } } with, per mark, the time from just before
// the action to the first frame painted after the mark was in the DOM
// (requestAnimationFrame, then a task after that frame), or { failed }
// (not `error`: the harness would read that as a WebDriver error).
const step = arguments[0];
const done = arguments[arguments.length - 1];
const LIMIT_MS = 20000;

function find(selector, text) {
  for (const element of document.querySelectorAll(selector)) {
    if (element.closest('[hidden]')) continue;
    if (text == null || element.textContent.includes(text)) return element;
  }
  return null;
}

const action = step.action;
const target = find(action.selector, action.text);
// A mark that is on screen before the action would measure nothing.
const stale = step.marks.find((mark) => !mark.busy && mark.selector && find(mark.selector, mark.text));
if (!target) {
  done({ failed: `nothing matches ${action.selector} ${action.text ?? ''}` });
} else if (stale) {
  done({ failed: `${stale.name}: ${stale.selector} is already shown before the action` });
} else {
  const marks = step.marks.map((mark) => ({ ...mark, seenBusy: false, found: false, painted: null }));
  let finished = false;
  let observer = null;
  let t0 = 0;

  const finish = (answer) => {
    if (finished) return;
    finished = true;
    if (observer) observer.disconnect();
    done(answer);
  };

  const check = () => {
    for (const mark of marks) {
      if (mark.found) continue;
      if (mark.busy) {
        const region = document.querySelector(mark.busy);
        if (!region) continue;
        if (region.getAttribute('aria-busy') === 'true') {
          mark.seenBusy = true;
          continue;
        }
        if (!mark.seenBusy) continue;
      }
      if (mark.selector && !find(mark.selector, mark.text)) continue;
      mark.found = true;
      // The content is in the DOM: the user sees it with the next frame.
      requestAnimationFrame(() =>
        setTimeout(() => {
          mark.painted = performance.now() - t0;
          if (marks.every((m) => m.painted !== null)) {
            const result = {};
            for (const m of marks) result[m.name] = m.painted;
            finish({ marks: result });
          }
        }, 0),
      );
    }
  };

  observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  setTimeout(() => {
    const missing = marks.filter((m) => m.painted === null).map((m) => m.name);
    finish({ failed: `no result within ${LIMIT_MS} ms for: ${missing.join(', ')}` });
  }, LIMIT_MS);

  t0 = performance.now();
  if (action.kind === 'click') {
    target.click();
  } else if (action.kind === 'type' || action.kind === 'clear') {
    target.value = action.kind === 'type' ? target.value + action.char : '';
    target.dispatchEvent(
      new InputEvent('input', {
        bubbles: true,
        data: action.kind === 'type' ? action.char : null,
        inputType: action.kind === 'type' ? 'insertText' : 'deleteContentBackward',
      }),
    );
  } else if (action.kind === 'select') {
    target.value = action.value ?? target.options[(target.selectedIndex + 1) % target.options.length].value;
    target.dispatchEvent(new Event('change', { bubbles: true }));
  }
  // A result may already be there (synchronous rendering).
  check();
}
