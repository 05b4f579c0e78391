// Copy the front-end packages we serve into src/ocop/static/vendor (committed; no CDN at run time).
// Usage (only when bumping versions): npm install --no-audit --no-fund && node scripts/vendor.mjs
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const nm = join(root, "node_modules");
const out = join(root, "src/ocop/static/vendor");
rmSync(out, { recursive: true, force: true });

function copy(from, to) {
  mkdirSync(join(out, to, ".."), { recursive: true });
  cpSync(join(nm, from), join(out, to), { recursive: true });
}

copy("bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css");
copy("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js");
copy("bootstrap/LICENSE", "bootstrap/LICENSE");
copy("bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css");
copy("bootstrap-icons/font/fonts", "bootstrap-icons/fonts");
copy("bootstrap-icons/LICENSE", "bootstrap-icons/LICENSE");

// Be Vietnam Pro: weights 400/500/600/700, the latin, latin-ext and vietnamese subsets (woff2 only).
const font = "@fontsource/be-vietnam-pro";
const weights = ["400", "500", "600", "700"];
const subsets = ["latin", "latin-ext", "vietnamese"];
mkdirSync(join(out, "be-vietnam-pro/files"), { recursive: true });
let css = "";
for (const w of weights) {
  // <weight>.css declares every subset with its unicode-range; keep the woff2 sources we ship.
  const blocks = readFileSync(join(nm, font, `${w}.css`), "utf8").split("@font-face").slice(1);
  for (const block of blocks) {
    const subset = subsets.find((s) => block.includes(`be-vietnam-pro-${s}-${w}-normal.woff2`));
    if (!subset) continue;
    css += "@font-face" + block.replace(/,\s*url\([^)]*\.woff\) format\('woff'\)/g, "").replace(/\/\*[^*]*\*\/\s*$/, "");
    const file = `be-vietnam-pro-${subset}-${w}-normal.woff2`;
    cpSync(join(nm, font, "files", file), join(out, "be-vietnam-pro/files", file));
  }
}
writeFileSync(join(out, "be-vietnam-pro/be-vietnam-pro.css"), css);
copy(`${font}/LICENSE`, "be-vietnam-pro/LICENSE");

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
writeFileSync(join(out, "VERSIONS.json"), JSON.stringify(pkg.dependencies, null, 2) + "\n");
console.log("vendored:", readdirSync(out).join(", "));
