// Runs before the page is drawn: marks that scripts run, so the phone layout can hide the menu behind its button
// (without scripts the links simply stay visible).
document.documentElement.classList.add("js");
