// Pasting into the admin's rich-text editor (catalog/rich_text.py). The editor reads pasted HTML
// by parsing it in this page, and the page's Content-Security-Policy refuses what a word
// processor or another site brings along (style attributes and <style> blocks, event handlers,
// images from elsewhere), each refusal an error on the console. The browser applies the policy to
// every parsed document, even one never shown, so that markup is taken out of the text first,
// and the cleaned HTML is pasted in its place. None of it would be kept anyway: catalog/html.py
// keeps no attribute but a link's, and no such element. (A tag this misses is still refused by
// the policy and removed by the sanitizer; it only costs a console message.)
"use strict";

const REFUSED_BLOCKS = /<(style|script|svg|object|iframe)\b[\s\S]*?<\/\1\s*>/gi;
const REFUSED_TAGS = /<\/?(?:style|script|svg|object|iframe|link|meta|img|source|embed)\b[^>]*>/gi;
const OPENING_TAG = /<[a-z][^>]*>/gi;
const REFUSED_ATTRIBUTE = /\s(?:style|on[a-z]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;

function withoutRefusedMarkup(html) {
  return html
    .replace(REFUSED_BLOCKS, "")
    .replace(REFUSED_TAGS, "")
    .replace(OPENING_TAG, (tag) => tag.replace(REFUSED_ATTRIBUTE, ""));
}

document.addEventListener(
  "paste",
  (event) => {
    const editor = event.target instanceof Element && event.target.closest(".prose-editor .ProseMirror");
    const html = editor && event.clipboardData ? event.clipboardData.getData("text/html") : "";
    const cleaned = html && withoutRefusedMarkup(html);
    if (cleaned === html) {
      return;
    }
    const data = new DataTransfer();
    data.setData("text/plain", event.clipboardData.getData("text/plain"));
    data.setData("text/html", cleaned);
    event.preventDefault();
    event.stopImmediatePropagation();
    editor.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  },
  true,
);
