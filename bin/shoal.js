#!/usr/bin/env node
import '../dist/src/cli/shoal.js';
