"""UN501: every preambular and operative paragraph opens with its lead phrase.

The lead phrase ("Recalling", "Calls upon", "回顾", "يطلب") is the ``lead``
field of a :class:`~pipeline.ast.Recital` or :class:`~pipeline.ast.Paragraph`;
a paragraph whose lead is empty is reported.  When the text opens with a
phrase of the language's curated list (``lang.leads``) the message names it:
the source most likely lost its italics or bold there.
"""

from __future__ import annotations

from ..ast import Paragraph, plain_text
from .base import Doc, finding, paragraphs, recitals, rule

_SPACE = " \u00a0\t\u200b\u200e\u200f\ufeff"


@rule("UN501", "lead-missing", "error",
      "every preambular and operative paragraph opens with a lead phrase")
def check_leads(doc: Doc):
    """Every preambular and operative paragraph opens with its lead phrase,
    marked as the UN prints it in the language (italic in English, French,
    Spanish and Russian, bold in Chinese, bold italic in Arabic).  When the text
    opens with a phrase the language's lexicon knows, the message names it.

    Wrong:

        4. The contribution of civil society is welcomed;

    Right:

        4. *Welcomes* the contribution of civil society;
    """
    L = doc.lang
    for _meta, body in doc.res.texts():
        nodes = [("preambular", r) for r in recitals(body)] + \
                [("operative", p) for p in paragraphs(body)]
        nodes.sort(key=lambda kn: (doc.span(kn[1]).line, doc.span(kn[1]).col))
        for kind, node in nodes:
            if plain_text(node.lead).strip():
                continue
            what = f"operative paragraph {node.num}".rstrip() if isinstance(node, Paragraph) \
                else "preambular paragraph"
            hint = ""
            if L is not None:
                known = L.match_lead(plain_text(node.body), kind)
                known = known.strip(_SPACE) if known else known
                if known:
                    hint = f" (it opens with {known!r}: mark it as the lead)"
            yield finding("UN501", f"{what} has no lead phrase{hint}", doc.span(node))
