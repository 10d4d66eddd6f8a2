/* The search page: reads ?q= (and ?lang=, ?session=) from its address, so that a search
   can be linked; searches every language's Pagefind index (or the one asked for), each
   with its own word rules (Chinese is segmented), and lists each result's symbol and
   title.  Nothing leaves the site: the index is in ../pagefind/. */
(function () {
  "use strict";
  var LANGS = ["ar", "zh", "en", "fr", "ru", "es"];
  /* the pages' lang tags, which name Pagefind's indexes */
  var TAGS = { zh: "zh-Hans" };
  var script = document.currentScript;
  var root = new URL("../", script.src);              /* _assets/ is at the site's root */
  var bundle = new URL("pagefind/", root).href;
  var instances = {};

  function instance(lang) {
    if (!instances[lang]) {
      instances[lang] = import(bundle + "pagefind.js?lang=" + lang).then(function (pf) {
        /* the module picks its index by the page's lang at this moment */
        var html = document.documentElement, was = html.getAttribute("lang");
        html.setAttribute("lang", TAGS[lang] || lang);
        try {
          /* no worker: every request the search makes is the page's own */
          var inst = pf.createInstance({ basePath: bundle, noWorker: true });
        } finally {
          html.setAttribute("lang", was);
        }
        return inst;
      });
    }
    return instances[lang];
  }

  function script_of(q) {
    if (/[\u0600-\u06FF]/.test(q)) { return ["ar"]; }
    if (/[\u3400-\u9FFF]/.test(q)) { return ["zh"]; }
    if (/[\u0400-\u04FF]/.test(q)) { return ["ru"]; }
    return [];
  }

  /* the excerpt as text and <mark> only, whatever the index holds */
  function excerpt(into, html) {
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (n) {
      if (n.nodeType === 1 && n.tagName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = n.textContent;
        into.appendChild(m);
      } else {
        into.appendChild(document.createTextNode(n.textContent));
      }
    });
  }

  function show(results, status, list) {
    list.textContent = "";
    status.textContent = results.length ? "" : status.getAttribute("data-none");
    results.forEach(function (r) {
      var li = document.createElement("li");
      li.setAttribute("lang", r.lang);
      var a = document.createElement("a");
      a.href = new URL(r.data.url.replace(/^\//, ""), root).href;
      var sym = document.createElement("span");
      sym.className = "symbol";
      sym.textContent = (r.data.meta && r.data.meta.symbol) || "";
      var title = document.createElement("span");
      title.className = "title";
      title.textContent = (r.data.meta && r.data.meta.title) || "";
      a.appendChild(sym);
      a.appendChild(document.createTextNode(" "));
      a.appendChild(title);
      li.appendChild(a);
      var p = document.createElement("p");
      p.className = "excerpt";
      excerpt(p, r.data.excerpt || "");
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  async function run() {
    var params = new URLSearchParams(location.search);
    var q = (params.get("q") || "").trim();
    var lang = params.get("lang") || "";
    var session = params.get("session") || "";
    var form = document.querySelector(".search-form");
    form.q.value = q;
    form.lang.value = LANGS.indexOf(lang) >= 0 ? lang : "";
    form.session.value = session;
    var status = document.getElementById("search-status");
    var list = document.getElementById("results");
    if (!q) { return; }
    status.textContent = status.getAttribute("data-searching");
    var langs = LANGS.indexOf(lang) >= 0 ? [lang] : LANGS;
    var preferred = script_of(q);
    var options = session ? { filters: { session: session } } : {};
    /* Chinese has no spaces between words: what is typed is meant as it stands, so it is
       looked for as a phrase first (then as words, when the phrase is nowhere) */
    var phrase = /[\u3400-\u9FFF]/.test(q) && q.indexOf('"') < 0 ? '"' + q + '"' : null;
    var found = await Promise.all(langs.map(async function (l) {
      try {
        var pf = await instance(l);
        var res = await pf.search(phrase || q, options);
        if (phrase && (!res || !res.results || !res.results.length)) {
          res = await pf.search(q, options);
        }
        if (!res || !res.results) { return []; }
        var top = res.results.slice(0, 20);
        var data = await Promise.all(top.map(function (r) { return r.data(); }));
        return top.map(function (r, i) {
          return { lang: l, score: r.score || 0, data: data[i],
                   first: preferred.indexOf(l) >= 0 ? 1 : 0 };
        });
      } catch (e) {
        return [];             /* a language without an index on this site */
      }
    }));
    var all = [].concat.apply([], found);
    all.sort(function (a, b) { return (b.first - a.first) || (b.score - a.score); });
    show(all.slice(0, 50), status, list);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
