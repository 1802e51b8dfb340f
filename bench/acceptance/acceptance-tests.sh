#!/usr/bin/env bash
# Runs acceptance tests at a chosen size: the scripted-server tests (a C# fixture plays the OpenAI-compatible server)
# read LLMDISTILL_ACCEPTANCE_SAMPLES. Examples:
#   bench/acceptance/acceptance-tests.sh KillResume 2000     # kill -9 three times + resume vs uninterrupted, 2,000 samples
#   bench/acceptance/acceptance-tests.sh ScriptedChat 2000   # chat run with judge scores from the server
# Prints each test's result and its figures (reference requests, samples on disk after each kill, ...).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
NAME="${1:?test class prefix, e.g. KillResume}"
SAMPLES="${2:-2000}"
cd "$REPO_ROOT"
dotnet build tests/LLMDistill.Tests -c Release -v quiet -nologo >&2
LLMDISTILL_ACCEPTANCE_SAMPLES="$SAMPLES" dotnet test tests/LLMDistill.Tests -c Release --no-build \
  --filter "FullyQualifiedName~LLMDistill.Tests.Acceptance.$NAME" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "^\s+(Passed|Failed) |reference:|resumed:|Error Message|Assert|Total tests|Passed!|Failed!" 
