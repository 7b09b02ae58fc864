// Material's search box searches on `keyup` only (its watchSearchQuery), so a word that arrives
// without a key — pasted with the mouse, or a Chinese input method's candidate picked by a click or
// a tap — found nothing until the next key. Each `input` event is passed on as a keyup, so the search
// runs on whatever the box holds; Material drops a value it has already searched.
document.addEventListener("input", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.matches(".md-search__input")) {
    event.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
});
