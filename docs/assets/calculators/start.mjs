// Starts the calculators' Python worker early: loaded as an async module from <head> on pages with
// a calculator form (overrides/main.html), so Python's start-up (the long pole of the first answer)
// overlaps with the page's parsing and the theme's scripts. The form code (calculator.mjs) arrives
// later and finds the same worker: client.mjs is one module instance per document.
import { start } from "./client.mjs";

start();
