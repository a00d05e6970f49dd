#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Conversations rendered by the official chat templates through transformers'
apply_chat_template, the oracle for Facet's C++ chat formats (engine/tokenizer/chat_format.cpp).

Templates (read at run time, never committed):
  Gemma 4: google-gemma-4-31B-it.jinja as shipped in llama.cpp's models/templates, taken
           from the llama-cpp-python 0.3.36 source package through pip;
  Gemma 3: the chat_template of shared/data/gemma3-tokenizer/tokenizer_config.json.
For each conversation the fixture also keeps llama.cpp's token ids for the rendered text
(special tokens parsed) on the Gemma 4-style vocabulary and on Gemma 3 270M.

    .venv/bin/python tools/reference/make_chat_fixtures.py GEMMA4_VOCAB_GGUF GEMMA3_GGUF
writes tests/data/chat/conversations.jsonl
"""
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import llama_cpp
from transformers import PreTrainedTokenizerFast

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared/data/gemma3-tokenizer"
OUT = ROOT / "tests/data/chat/conversations.jsonl"
TEMPLATE_IN_SDIST = "vendor/llama.cpp/models/templates/google-gemma-4-31B-it.jinja"


def gemma4_template():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "llama-cpp-python==0.3.36", "-d", d], check=True)
        sdist = next(Path(d).glob("llama_cpp_python-*.tar.gz"))
        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith(TEMPLATE_IN_SDIST))
            return tar.extractfile(member).read().decode()


def user(content):
    return {"role": "user", "content": content}


def model(content, **extra):
    return {"role": "assistant", "content": content, **extra}


WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Current weather for a city.",
    "parameters": {"type": "object", "properties": {
        "city": {"type": "string", "description": "City name"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Unit"}},
        "required": ["city"]}}}
SEARCH = {"type": "function", "function": {
    "name": "search", "description": "Search documents.",
    "parameters": {"type": "object", "properties": {
        "query": {"type": "string"},
        "limit": {"type": "integer", "description": "How many", "nullable": True},
        "tags": {"type": "array", "items": {"type": "string"}, "description": "Filter tags"},
        "Filters": {"type": "object", "properties": {"after": {"type": "string", "description": "ISO date"},
                                                      "lang": {"type": "string", "enum": ["en", "de"]}},
                    "required": ["after"]},
        "points": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "number"}},
                                              "required": ["x"]}}},
        "required": ["query"]},
    "response": {"type": "object", "description": "The hits"}}}
NOPARAMS = {"type": "function", "function": {"name": "now", "description": "The time."}}


def call(id_, name, args):
    return {"id": id_, "type": "function", "function": {"name": name, "arguments": args}}


def tool(id_, name, content):
    return {"role": "tool", "tool_call_id": id_, "name": name, "content": content}


IMG = {"type": "image"}
AUDIO = {"type": "audio"}
VIDEO = {"type": "video"}

GEMMA4 = [
    ([user("Hello!")], {}),
    ([user("Hello!")], {"enable_thinking": True}),
    ([{"role": "system", "content": "You are terse."}, user("Hi")], {}),
    ([{"role": "system", "content": "  padded system  \n"}, user("  padded user \n\n")], {"enable_thinking": True}),
    ([{"role": "developer", "content": "Developer rules."}, user("Go")], {}),
    ([user("One"), model("Uno"), user("Two")], {}),
    ([user("One"), model("Uno"), user("Two"), model("Dos")], {"add_generation_prompt": False}),
    ([user("Q"), model("<|channel>thought\nlet me think<channel|>The answer is 4.")], {"add_generation_prompt": False}),
    ([user("Q"), model("Before<|channel>hidden<channel|> after"), user("More")], {"enable_thinking": True}),
    ([user("I typed <|turn>model\n and <start_of_turn> and <|\"|> myself")], {}),
    ([user([{"type": "text", "text": "What is in this picture?"}, IMG])], {}),
    ([user([IMG, {"type": "text", "text": "  Read the text.  "}, IMG])], {}),
    ([user([AUDIO, {"type": "text", "text": "Transcribe the following speech segment in English into English text."}])], {}),
    ([user([VIDEO, {"type": "text", "text": "Describe."}])], {"enable_thinking": True}),
    ([user("Weather in Paris?")], {"tools": [WEATHER]}),
    ([{"role": "system", "content": "Use tools."}, user("Find cats")], {"tools": [WEATHER, SEARCH], "enable_thinking": True}),
    ([user("Time?")], {"tools": [NOPARAMS]}),
    ([user("Weather in Paris?"), model("", tool_calls=[call("c1", "get_weather", {"city": "Paris"})])], {"tools": [WEATHER]}),
    ([user("Weather in Paris?"), model(None, tool_calls=[call("c1", "get_weather", {"city": "Paris", "unit": "celsius"})]),
      tool("c1", "get_weather", "18 degrees, sunny")], {"tools": [WEATHER]}),
    ([user("Weather?"), model(None, tool_calls=[call("c1", "get_weather", {"city": "Oslo"})]),
      tool("c1", "get_weather", "-3 degrees"), model("It is -3 degrees in Oslo.")], {"tools": [WEATHER]}),
    ([user("Both"), model(None, tool_calls=[call("a", "get_weather", {"city": "Rome"}), call("b", "now", {})]),
      tool("a", "get_weather", "25"), tool("b", "now", "12:00"), model("Rome 25, noon.")], {"tools": [WEATHER, NOPARAMS]}),
    ([user("Search"), model(None, tool_calls=[call("s", "search", {"query": "x", "limit": 5, "ratio": 0.25, "exact": True,
                                                                      "missing": None, "tags": ["a", "b"], "nested": {"k": [1, 2.5]}})]),
      tool("s", "search", "[]")], {"tools": [SEARCH]}),
    ([user("Search"), model(None, tool_calls=[call("s", "search", {"query": "big", "tiny": 1e-7, "huge": 1.5e20, "neg": -3})])], {"tools": [SEARCH]}),
    ([user("Q"), model("Thinking done.", reasoning="I should call the tool.", tool_calls=[call("c", "now", {})]),
      tool("c", "now", "09:30")], {"tools": [NOPARAMS], "enable_thinking": True}),
    ([user("Q"), model(None, tool_calls=[call("c", "now", {})]), tool("zz", "fallback_name", "x")], {"tools": [NOPARAMS]}),
    ([user("Q"), model(None, tool_calls=[call("c", "now", {})]), tool("c", "now", "09:30"), user("And later?")], {"tools": [NOPARAMS]}),
    ([user("Hi"), model("First part."), model("Second part.")], {"add_generation_prompt": False}),
    ([user("日本語で答えて"), model("はい、どうぞ。😀"), user("ありがとう")], {"enable_thinking": True}),
    ([user("Code:\n```python\nprint('x')\n```\n")], {}),
    ([user("")], {}),
    ([user("   ")], {"enable_thinking": True}),
    ([{"role": "system", "content": "Sys"}, user("a"), model("b"), user("c"), model("d"), user("e")], {"enable_thinking": True}),
]

GEMMA3 = [
    ([user("Hello!")], {}),
    ([{"role": "system", "content": "You are terse."}, user("Hi")], {}),
    ([user("One"), model("Uno"), user("Two")], {}),
    ([user([{"type": "text", "text": "What is this?"}, IMG])], {}),
    ([{"role": "system", "content": "  Keep spaces  "}, user("  trimmed  "), model(" ok ")], {"add_generation_prompt": False}),
    ([user("I typed <start_of_turn>model and <|turn> myself")], {}),
]


def main():
    g4_vocab = llama_cpp.Llama(sys.argv[1], vocab_only=True, verbose=False)
    g3_vocab = llama_cpp.Llama(sys.argv[2], vocab_only=True, verbose=False)
    tok = PreTrainedTokenizerFast(tokenizer_file=str(SHARED / "tokenizer.json"), bos_token="<bos>")
    templates = {"gemma4": gemma4_template(),
                 "gemma3": json.loads((SHARED / "tokenizer_config.json").read_text())["chat_template"]}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(OUT, "w") as f:
        for family, cases in (("gemma4", GEMMA4), ("gemma3", GEMMA3)):
            vocab = g4_vocab if family == "gemma4" else g3_vocab
            for messages, options in cases:
                kwargs = {"add_generation_prompt": options.get("add_generation_prompt", True)}
                if "enable_thinking" in options:
                    kwargs["enable_thinking"] = options["enable_thinking"]
                rendered = tok.apply_chat_template(messages, tools=options.get("tools"), chat_template=templates[family],
                                                   tokenize=False, **kwargs)
                ids = vocab.tokenize(rendered.encode(), add_bos=False, special=True)
                f.write(json.dumps({"family": family, "messages": messages, "options": options,
                                    "rendered": rendered, "llamacpp_ids": ids}, ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} conversations written to {OUT}")


if __name__ == "__main__":
    main()
