// The search page's results. The form is a plain GET form (?q=, ?tag=, ?series=),
// so a search is a link; here it is answered in place from the Pagefind index,
// which is only fetched once there is something to look for. Each search is a
// history entry, so the back button returns to the one before.
const form = document.querySelector("form.search-form");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const PAGE_SIZE = 10;
const FIELDS = ["q", "tag", "series"];

let pagefind;
let shown = [];
let moreButton;

async function loadIndex() {
  pagefind ??= import(`${form.dataset.bundle}pagefind.js`).then(async (module) => {
    await module.options({ excerptLength: 24 });
    await module.init();
    return module;
  });
  return pagefind;
}

function readQuery(params) {
  return Object.fromEntries(FIELDS.map((name) => [name, (params.get(name) ?? "").trim()]));
}

function fillForm(query) {
  for (const name of FIELDS) if (form.elements[name]) form.elements[name].value = query[name];
}

/** Pagefind's excerpt is HTML with <mark>s: copy only its text and marks, never markup. */
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  return [...parsed.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

function element(name, className, ...children) {
  const node = document.createElement(name);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

function card({ url, meta, excerpt }) {
  const link = element("a", "", meta.title ?? url);
  link.href = url;
  const date = element("time", "", meta.date ?? "");
  if (meta.iso) date.dateTime = meta.iso;
  const about = element("p", "post-meta", date);
  if (meta.part) about.append(element("span", "", " · "), meta.part);
  if (meta.draft) about.append(" ", element("strong", "draft-badge", meta.draft));
  const item = element("li", "post-summary", element("h2", "post-summary-title", link), about);
  if (meta.summary) item.append(element("p", "post-summary-text", meta.summary));
  item.append(element("p", "search-excerpt", ...excerptNodes(excerpt)));
  return item;
}

async function showMore() {
  const next = shown.splice(0, PAGE_SIZE);
  const cards = (await Promise.all(next.map((result) => result.data()))).map(card);
  list.append(...cards);
  moreButton?.remove();
  if (shown.length > 0) {
    moreButton = element("button", "search-more", `Show ${Math.min(PAGE_SIZE, shown.length)} more`);
    moreButton.type = "button";
    moreButton.addEventListener("click", () => {
      const firstNew = list.children.length;
      showMore().then(() => list.children[firstNew]?.querySelector("a")?.focus());
    });
    list.after(moreButton);
  }
}

function describe(count, query) {
  const found = count === 0 ? "No posts found" : count === 1 ? "1 post found" : `${count} posts found`;
  const narrowed = [
    query.tag && `tag ${form.elements.tag.selectedOptions[0]?.text}`,
    query.series && `series ${form.elements.series.selectedOptions[0]?.text}`,
  ].filter(Boolean);
  return `${found}${query.q ? ` for “${query.q}”` : ""}${narrowed.length ? ` in ${narrowed.join(" and ")}` : ""}.`;
}

async function search(query) {
  list.replaceChildren();
  moreButton?.remove();
  if (!query.q && !query.tag && !query.series) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  const filters = {};
  if (query.tag) filters.tag = query.tag;
  if (query.series) filters.series = query.series;
  try {
    const index = await loadIndex();
    const { results } = await index.search(query.q || null, { filters });
    shown = [...results];
    await showMore();
    status.textContent = describe(results.length, query);
  } catch {
    status.textContent = "Search is not available just now. Try the archive or the tag pages.";
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  for (const name of FIELDS) {
    const value = form.elements[name]?.value.trim();
    if (value) params.set(name, value);
  }
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ""}`;
  if (url !== `${location.pathname}${location.search}`) history.pushState(null, "", url);
  search(readQuery(params));
});

function showCurrent() {
  const query = readQuery(new URLSearchParams(location.search));
  fillForm(query);
  search(query);
}

addEventListener("popstate", showCurrent);
showCurrent();
