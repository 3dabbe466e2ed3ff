// The HTML report of a real audit (server-everything) renders in headless Chromium (Debian's package)
// without console errors, and the test keeps a screenshot.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sapperAudit, startEverything, type Target } from "./audit-targets.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let target: Target;
let dir: string;

beforeAll(async () => {
  target = await startEverything("streamableHttp");
  dir = mkdtempSync(join(tmpdir(), "sapper-audit-html-"));
}, 60_000);
afterAll(async () => {
  await target?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the HTML report", () => {
  it("renders in headless Chromium without errors and shows the score, the chart and the evidence", async () => {
    expect(existsSync(CHROMIUM), "Debian's chromium is installed by scripts/setup-test-env.sh").toBe(true);
    const html = join(dir, "report.html");
    const cli = sapperAudit([target.url, "--html", html, "--burst", "10", "--concurrency", "3", "--json"]);
    expect(cli.status).toBe(0);
    const score = (JSON.parse(cli.stdout) as { summary: { score: number } }).summary.score;

    const context = await chromium.launchPersistentContext(join(dir, "profile"), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
      });
      page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
      page.on("requestfailed", (req) => problems.push(`requestfailed: ${req.url()}`));
      await page.goto(pathToFileURL(html).href, { waitUntil: "load" });

      expect(await page.title()).toBe(`Sapper audit: ${target.url}`);
      expect(await page.locator("figure.donut svg text.score").textContent()).toBe(String(score));
      expect(await page.locator("figure.donut svg circle").count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator("article.result.fail code.id", { hasText: "auth.required" }).count()).toBe(1);
      const evidence = page.locator("article.result.fail", { hasText: "browser.dns-rebinding" }).locator("details pre.req");
      expect(await evidence.first().textContent()).toContain(`host: sapper-audit.invalid:${target.port}`);
      expect(await page.locator("script").count()).toBe(0);

      const shot = join(dir, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
