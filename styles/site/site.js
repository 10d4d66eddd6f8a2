/* Language switch and side-by-side links keep the reader's place: the paragraph in view
   (or the one the address names) is carried to the other page as its #fragment.
   Paragraph names are the same in every language (pipeline/site/anchors.py). */
(function () {
  "use strict";
  var NAMED = /^(comp_\d+__)?(preamble__|para_|sec_|att_|container_|crossHeading_|hcontainer_)/;

  function named() {
    var out = [];
    var all = document.querySelectorAll("main [id]");
    for (var i = 0; i < all.length; i++) {
      if (NAMED.test(all[i].id)) { out.push(all[i]); }
    }
    return out;
  }

  function current() {
    var hash = decodeURIComponent(location.hash.slice(1));
    var els = named();
    if (hash && NAMED.test(hash)) {
      var t = document.getElementById(hash);
      if (t) {
        var r = t.getBoundingClientRect();
        if (r.bottom > 0 && r.top < window.innerHeight) { return hash; }
      }
    }
    for (var i = 0; i < els.length; i++) {
      var box = els[i].getBoundingClientRect();
      if (box.bottom > 8 && box.height > 0) {
        return box.top < window.innerHeight ? els[i].id : "";
      }
    }
    return "";
  }

  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[data-keep-place]") : null;
    if (!a) { return; }
    var place = current();
    var href = a.getAttribute("href").split("#")[0];
    a.setAttribute("href", place ? href + "#" + encodeURIComponent(place) : href);
  });
})();
