"""The publishing site: every resolution in every language, at an address made from its
symbol, built from the same trees, writers and build record as ``unres convert``.

Modules, in the order a build uses them: :mod:`.paths` (addresses), :mod:`.anchors`
(paragraph names, the same in every language), :mod:`.model` (what the site knows of
each resolution), :mod:`.content` (the HTML writer's text, its paragraphs named),
:mod:`.theme` (templates, styles, words), :mod:`.pages` and :mod:`.feeds` (every file
described, then made), :mod:`.search` (Pagefind), :mod:`.build` (the whole),
:mod:`.serve` (a local preview) and :mod:`.cli` (the commands).
"""
