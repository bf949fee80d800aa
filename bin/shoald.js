#!/usr/bin/env node
import '../dist/src/cli/shoald.js';
