'use strict';
// The Python virtualenv the peer services run in (test/python-peers/). Plain CommonJS so it runs before
// anything is compiled. Built from requirements.txt beside this file into .cache/python-venv-<hash>, the hash
// being that of requirements.txt, so a changed pin gets a fresh venv and an unchanged one is reused.
// `node test/python-peers/python-venv.js` builds it and prints its python.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it runs before any compile step. */

const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const PEERS_DIR = __dirname;
const REPO_ROOT = path.resolve(PEERS_DIR, '..', '..');
const CACHE_DIR = path.join(REPO_ROOT, '.cache');
const REQUIREMENTS = path.join(PEERS_DIR, 'requirements.txt');
// Django 5.2 and Flask 3.1 need Python 3.10 or later.
const MIN_PYTHON = [3, 10];
const PIP_TIMEOUT_MS = 20 * 60 * 1000;

function venvDir() {
  const hash = crypto.createHash('sha256').update(fs.readFileSync(REQUIREMENTS)).digest('hex').slice(0, 12);
  return path.join(CACHE_DIR, `python-venv-${hash}`);
}

function venvPython(dir) {
  return path.join(dir, 'bin', 'python');
}

/** The last lines a failed command printed, on one line, for a reason that fits in a test's skip message. */
function tail(result) {
  const text = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim();
  return text.split('\n').slice(-3).join(' | ');
}

/** Why the system python3 cannot make the venv, or undefined when it can. */
function checkSystemPython() {
  const probe = spawnSync('python3', ['-c', 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (probe.error) return `no python3 on PATH (${probe.error.code ?? probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot make a virtualenv (no venv/ensurepip module): ${tail(probe)}`;
  const [major, minor] = probe.stdout.trim().split('.').map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return `python3 is ${major}.${minor}; the peers need ${MIN_PYTHON.join('.')} or later`;
  }
  return undefined;
}

/**
 * Returns `{ python }`, the venv's interpreter, building the venv first if there is none; or `{ missing }`,
 * one line saying why it cannot be had.
 */
function ensurePythonVenv({ log = console.error } = {}) {
  const dir = venvDir();
  const python = venvPython(dir);
  // A venv only ever appears under its final name complete (see the rename below). Its bin/python is a
  // symlink to the system interpreter: if that is gone, the venv is useless and is built again.
  if (fs.existsSync(python)) return { python };

  const problem = checkSystemPython();
  if (problem) return { missing: problem };

  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${dir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  log(`Building the Python peers' virtualenv from ${path.relative(REPO_ROOT, REQUIREMENTS)} (first time only; a minute or two)...`);
  const started = Date.now();
  try {
    const made = spawnSync('python3', ['-m', 'venv', partial], { encoding: 'utf8' });
    if (made.status !== 0) return { missing: `python3 -m venv failed: ${tail(made)}` };
    // `python -m pip`, never bin/pip: the scripts in bin/ name the venv's path in their #! line, which the
    // rename below makes stale. bin/python itself finds its venv from where it sits, so it keeps working.
    const installed = spawnSync(venvPython(partial), ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', REQUIREMENTS], {
      encoding: 'utf8',
      timeout: PIP_TIMEOUT_MS,
    });
    if (installed.status !== 0) {
      return { missing: `pip install -r requirements.txt failed (exit ${installed.status ?? installed.signal}): ${tail(installed)}` };
    }
    // A venv left under the final name whose interpreter is gone (checked above): out of the way.
    if (fs.existsSync(dir) && !fs.existsSync(python)) fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(partial, dir);
    } catch (error) {
      // Another process finished the same venv first: use that one.
      if (!fs.existsSync(python)) throw error;
    }
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  log(`Built ${dir} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return { python };
}

module.exports = { ensurePythonVenv, venvDir };

if (require.main === module) {
  const result = ensurePythonVenv();
  if (result.missing) {
    console.error(`Python peers unavailable: ${result.missing}`);
    process.exit(1);
  }
  console.log(result.python);
}
