// Opens a footnote in place, in a modal <dialog>, when its reference is activated
// and the note is not already visible beside the text. A modal dialog makes the
// rest of the page inert, so the note is never in the accessibility tree twice;
// the browser moves focus in, closes on Escape and returns focus to the reference.
// Without JavaScript the reference is an ordinary link to the note.
(() => {
  "use strict";
  if (typeof HTMLDialogElement !== "function") return;

  let dialog;
  function noteDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "note-popover";
    dialog.setAttribute("aria-label", "Note");
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    document.body.append(dialog);
    return dialog;
  }

  function sidenoteShown(reference) {
    const sidenote = reference.closest("sup")?.nextElementSibling;
    return Boolean(sidenote?.classList.contains("sidenote") && getComputedStyle(sidenote).display !== "none");
  }

  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const reference = event.target.closest('a[role="doc-noteref"]');
    if (!reference || event.ctrlKey || event.metaKey || event.shiftKey || sidenoteShown(reference)) return;
    const note = document.getElementById(decodeURIComponent(reference.hash.slice(1)));
    if (!note) return;
    event.preventDefault();

    const box = noteDialog();
    const copy = note.cloneNode(true);
    // The copy must not repeat ids or the way back: the dialog's own button closes it.
    for (const element of [copy, ...copy.querySelectorAll("[id]")]) element.removeAttribute("id");
    for (const backLink of copy.querySelectorAll('[role="doc-backlink"]')) backLink.remove();
    const heading = document.createElement("p");
    heading.className = "note-popover-title";
    heading.textContent = reference.getAttribute("aria-label") || "Note";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", () => box.close());
    box.replaceChildren(heading, ...copy.childNodes, close);
    box.setAttribute("aria-label", heading.textContent);
    box.showModal();
  });
})();
