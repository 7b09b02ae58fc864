// The language selector in the header: each language's link goes to the same page in that language
// (with the same calculator inputs).
//
// The i18n plugin (mkdocs-static-i18n) writes those links into each page, and the head names each
// translation in a <meta name="translation" data-lang content> (hooks/mkdocs_adapter.py,
// _translations_for_the_selector). Material's instant navigation swaps the page's content and its
// head tags but keeps the header, so after a click to another page the selector would still point
// at the first page's translations. On each page change (`document$`) the selector's links are
// set again from the head, which is always the current page's.
//
// `target="_self"` makes a language switch a full page load rather than an instant one: the
// header, the search box and <html lang> are the other language's only when that page is loaded.
// The head names only the other languages: the page's own language links to the page itself.
const follow = () => {
  for (const link of document.querySelectorAll(".md-select__link[hreflang]")) {
    const translation = document.head.querySelector(`meta[name=translation][data-lang="${link.hreflang}"]`);
    if (translation) link.href = new URL(translation.content, location.href).href;
    else if (link.hreflang === document.documentElement.lang) link.href = location.pathname;
    link.target = "_self";
  }
};

// A calculator's page keeps its scenario in the URL's fragment (#category=...; never in the query,
// which would send the figures to the server): switching language keeps it, so a seller need not
// type the figures again. Read at the click, as typing updates the fragment.
document.addEventListener("click", (event) => {
  const link = event.target.closest?.(".md-select__link[hreflang]");
  if (!link || !location.hash) return;
  const target = new URL(link.href);
  target.hash = location.hash;
  link.href = target.href;
}, true);

if (window.document$) window.document$.subscribe(follow);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", follow);
else follow();
