#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 Facet authors
"""Token ids from llama.cpp's tokenizer (pip llama-cpp-python), the oracle for Facet's.

Corpus: the 608 strings of shared/data/gemma3-tokenizer/reference-encodings.jsonl plus
EXTRA below (whitespace runs, code, chat-marker look-alikes, invalid UTF-8). Strings are
stored as hex so invalid UTF-8 survives JSON. For each vocabulary:
  gemma4: the Gemma 4-style GGUF make_gemma4_tokenizer_gguf.py builds from tokenizer.json,
  gemma3-270m: the real Gemma 3 270M file (SentencePiece scores, no merges),
llama.cpp tokenizes with special=False and no BOS. Invalid UTF-8 goes to llama.cpp with
each bad byte already replaced by U+FFFD, which is what Facet promises to do with it.

    .venv/bin/python tools/reference/make_tokenizer_fixtures.py GEMMA4_GGUF GEMMA3_GGUF
writes tests/data/tokenizer/{corpus,llamacpp-gemma4,llamacpp-gemma3-270m}.jsonl
"""
import json
import sys
from pathlib import Path

import llama_cpp

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared/data/gemma3-tokenizer/reference-encodings.jsonl"
OUT = ROOT / "tests/data/tokenizer"

EXTRA = [
    "", " ", "    ", " " * 40, "\n" * 31, "\n" * 32, "\n" * 45, "\t" * 33, "\r\n\r\n", "a\n\n\nb",
    "\n \n  \n", "  leading and trailing  ", "x" * 100, "ab" * 60, "1234567890" * 5,
    "def f(x):\n    return x * 2\n", "int main() {\n\treturn 0;\n}\n", "if (a && b || !c) { x += 1; }",
    "SELECT * FROM t WHERE id = 42;", "<div class=\"x\"><table><tr><td>1</td></tr></table></div>",
    "<|turn>user\nhi<turn|>", "<start_of_turn>model", "<|channel>thought<channel|>", "<|\"|>quoted<|\"|>",
    "<|image|><|audio|><|tool_call>call:f{}<tool_call|>", "<bos><eos><pad>", "<|think|>", "<unused5>",
    "[multimodal]", "<start_of_image>", "<0x41>", "▁already▁escaped", "👩‍👩‍👧‍👦 🇩🇪 🏳️‍🌈 ✊🏾",
    "日本語のテキストと　全角スペース", "Ελληνικά, русский, עברית, العربية, हिन्दी, ไทย",
    "한국어 문장입니다. 中文句子。", "Zalgo: Z̵̡̛a̸l̷g̶o̴", "ﬁ ligature ℌ ① Ⅻ", "\u200b\u200c\u200d\ufeff",
    "tab\tseparated\tvalues\n1\t2\t3", "trailing newline\n", "\n\nleading newlines", "emoji at end 🎉",
    "mixed 123abc!!!???...", "URL https://example.com/a?b=c&d=e#f", "e-mail someone@example.org",
    "math: ∑_{i=1}^{n} i² = n(n+1)/2", "JSON {\"key\": [1, 2, {\"k\": null}]}", "\\n literal backslash-n",
    "\x00 nul and \x07 bell and \x1b[31m escape",
]
INVALID = [b"\xff", b"abc\x80def", b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80surrogate",
           b"\xc0\xafoverlong", b"ok \xf5\x80\x80\x80 bad lead", b"\xe2\x82\xac valid euro \xe2"]


def replaced(raw):
    # The same replacement Facet's sanitizeUtf8 makes: each bad byte becomes U+FFFD.
    return raw.decode("utf-8", errors="replace").encode()


def main():
    corpus = [json.loads(line)["text"].encode() for line in REFERENCE.read_text(encoding="utf-8").splitlines()]
    corpus += [s.encode() for s in EXTRA] + INVALID
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "corpus.jsonl", "w") as f:
        for raw in corpus:
            f.write(json.dumps({"hex": raw.hex()}) + "\n")
    for name, path in (("gemma4", sys.argv[1]), ("gemma3-270m", sys.argv[2])):
        model = llama_cpp.Llama(path, vocab_only=True, verbose=False)
        with open(OUT / f"llamacpp-{name}.jsonl", "w") as f:
            for raw in corpus:
                ids = model.tokenize(replaced(raw), add_bos=False, special=False) if raw else []
                f.write(json.dumps(ids) + "\n")
    print(f"{len(corpus)} strings written to {OUT}")


if __name__ == "__main__":
    main()
