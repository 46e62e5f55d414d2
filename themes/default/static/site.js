/* SPDX-License-Identifier: MIT */
/* site.js - the only script of the default theme, loaded with defer: when a
   video starts playing, pause the others.  Reading needs no script. */
document.addEventListener("play", function (e) {
    var v = document.getElementsByTagName("video");
    for (var i = 0; i < v.length; i++)
        if (v[i] !== e.target) v[i].pause();
}, true);
