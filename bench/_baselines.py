"""Baselines on the same sentence splitter and word budget as newsbot.

"Stock sumy" means sumy's summarizer with sumy's own stemmer (`Stemmer(lang)`)
and stop words (`get_stop_words(lang)`), fed sentences from
`bot.text.split_sentences` and raw word surfaces from `bot.text.word_spans`
(sumy's English tokenizer needs NLTK punkt data, which is not installed).
All algorithms pick sentences in their own rank order and fill the budget the
same way as newsbot (`bot.summaries.summarizer.fill_budget`): a sentence that would
overflow is skipped, smaller ones further down may still fit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from bot.summaries.summarizer import count_words, fill_budget
from bot.text import split_sentences, word_spans

__all__ = ["STOCK", "lead", "stock_summarizer"]

STOCK = ("lexrank", "textrank", "lsa", "luhn", "sumbasic", "kl")
_NAMES = {"ar": "arabic", "en": "english"}


class _SurfaceTokenizer:
    """sumy tokenizer seam: our word boundaries, raw surfaces."""

    @staticmethod
    def to_sentences(paragraph: str) -> list[str]:
        return [paragraph]

    @staticmethod
    def to_words(sentence: str) -> list[str]:
        return [sentence[a:b] for a, b in word_spans(sentence)]


@lru_cache(maxsize=None)
def _stock(name: str, language: str):
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    cls = {
        "lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer, "sumbasic": SumBasicSummarizer, "kl": KLSummarizer,
    }[name]
    summarizer = cls(Stemmer(_NAMES[language]))
    summarizer.stop_words = get_stop_words(_NAMES[language])
    return summarizer


def stock_summarizer(name: str) -> Callable[[str, str, int], list[str]]:
    """(text, language, word budget) -> sentences, by stock sumy algorithm `name`."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    def run(text: str, language: str, budget: int) -> list[str]:
        tokenizer = _SurfaceTokenizer()
        paragraphs: dict[int, list[Sentence]] = {}
        for s in split_sentences(text, language):
            paragraphs.setdefault(s.paragraph, []).append(Sentence(s.text, tokenizer))
        document = ObjectDocumentModel([Paragraph(p) for p in paragraphs.values()])

        def count(infos):
            return fill_budget(infos, [count_words(str(i.sentence)) for i in infos], budget)

        return [str(s) for s in _stock(name, language)(document, count)]

    return run


def lead(text: str, language: str, budget: int) -> list[str]:
    """First sentences in article order, filling the budget."""
    sentences = [s.text for s in split_sentences(text, language)]
    return fill_budget(sentences, [count_words(s) for s in sentences], budget)
