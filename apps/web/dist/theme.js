// Applies the remembered theme (light, dark or system) before the console's first paint.
(() => {
  let choice = "system";
  try {
    choice = localStorage.getItem("steward.theme") || "system";
  } catch {}
  const dark =
    choice === "dark" || (choice === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
})();
