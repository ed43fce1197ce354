// flrisk console: upload preview and live batch progress. Plain JavaScript, no build step; every page also
// works without it (the upload then maps columns automatically and the batch page needs a reload).
"use strict";

const FETCH = { "X-Console-Fetch": "1" };

function leftSession(response) {
  // A fetch that ended on the login page: the session expired or the key was revoked.
  if (response.redirected && new URL(response.url).pathname === "/ui/login") {
    window.location.assign(response.url);
    return true;
  }
  return false;
}

function setupUpload(form) {
  const input = form.querySelector("#file");
  const zone = form.querySelector("#dropzone");
  const preview = form.querySelector("#preview");
  const problem = form.querySelector("#problem");
  let generation = 0;

  async function refresh(keepMapping) {
    if (!input.files.length) return;
    const body = new FormData(form);
    if (!keepMapping) for (const key of [...body.keys()]) if (key.startsWith("map_")) body.delete(key);
    const mine = ++generation;
    problem.innerHTML = "";
    preview.setAttribute("aria-busy", "true");
    preview.insertAdjacentHTML("afterbegin", '<p class="preview-busy">Reading the file…</p>');
    const response = await fetch(form.dataset.preview, { method: "POST", body, headers: FETCH });
    if (leftSession(response) || mine !== generation) return;
    preview.innerHTML = await response.text();
    preview.removeAttribute("aria-busy");
    const alert = preview.querySelector("#problem-msg");
    if (alert) alert.focus();
  }

  input.addEventListener("change", () => { preview.innerHTML = ""; refresh(false); });
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-repreview]")) refresh(event.target.id !== "encoding");
  });
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.add("over"); });
  }
  for (const type of ["dragleave", "drop"]) {
    zone.addEventListener(type, () => zone.classList.remove("over"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  form.addEventListener("submit", async (event) => {
    // The error-sheet buttons post the form natively: the answer is a file download, the page stays.
    if (event.submitter && event.submitter.hasAttribute("data-download")) return;
    event.preventDefault();
    const button = form.querySelector("#start");
    if (button) { button.disabled = true; button.textContent = "Uploading…"; }
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), headers: FETCH });
    if (response.redirected) { window.location.assign(response.url); return; }
    problem.innerHTML = await response.text();
    const alert = problem.querySelector("#problem-msg");
    if (alert) alert.focus();
    if (button) { button.disabled = false; button.textContent = "Start screening"; }
  });
}

function setupProgress(box) {
  const interval = Number(box.dataset.interval) || 1500;
  async function poll() {
    const live = box.querySelector("[data-live]");
    if (!live || live.dataset.live !== "yes") return;
    try {
      const response = await fetch(box.dataset.poll, { headers: FETCH, cache: "no-store" });
      if (leftSession(response)) return;
      if (response.ok) box.innerHTML = await response.text();
    } catch (error) {
      // The server restarted or the network blinked: keep polling, the batch is not lost.
    }
    window.setTimeout(poll, interval);
  }
  window.setTimeout(poll, interval);
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("#upload-form");
  if (form) setupUpload(form);
  const progress = document.querySelector("#progress[data-poll]");
  if (progress) setupProgress(progress);
});
