/* The portal page's notices view: district and school notices, each opening in place; a new
 * one loses its "New" badge once opened (POST /notices/{id}/read). */
import { call } from "./portal-app-call.js";
import { badge, day, nothing } from "./portal-app-ui.js";
import { append, h, richText } from "./portal-dom.js";
import { t } from "./portal-messages.js";

/* The notice's HTML (sanitized by `portal notices publish`) as nodes. Parsed into an inert
 * document, and, should a stored copy ever hold one, without scripts, handlers or javascript:
 * links: a second guard that costs a few lines. */
function noticeHtml(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const node of parsed.body.querySelectorAll("script, style, iframe, object, embed, form")) {
    node.remove();
  }
  for (const node of parsed.body.querySelectorAll("*")) {
    for (const attribute of [...node.attributes]) {
      const unsafe = /^on/i.test(attribute.name) || /^\s*javascript:/i.test(attribute.value);
      if (unsafe) {
        node.removeAttribute(attribute.name);
      }
    }
  }
  const fragment = document.createDocumentFragment();
  fragment.append(...parsed.body.childNodes);
  return fragment;
}

function noticeItem(notice) {
  const item = h("details", { className: "portal-notice-item" });
  let isNew = !!notice.new;
  const newBadge = isNew ? badge("new", t("notice_new")) : null;
  const meta = [notice.date ? day(notice.date) : null, notice.school ? ` · ${notice.school}` : null];
  item.appendChild(
    h("summary", null, [
      h("span", { className: "portal-notice-title", text: notice.title }),
      " ",
      newBadge,
      h("span", { className: "portal-notice-meta" }, meta),
    ]),
  );
  const body = notice.html ? noticeHtml(notice.html) : richText(notice.body);
  item.appendChild(h("div", { className: "portal-notice-body" }, body));
  item.addEventListener("toggle", async () => {
    if (!item.open || !isNew) {
      return;
    }
    isNew = false; // asked once, however often it is opened meanwhile
    try {
      await call("POST", `/notices/${encodeURIComponent(notice.id)}/read`, {});
    } catch {
      isNew = true; // not marked read: the next opening asks again
      return;
    }
    newBadge?.remove();
  });
  return item;
}

function noticeList(title, notices) {
  return [
    h("h3", { text: title }),
    notices.length
      ? h("div", { className: "portal-notices" }, notices.map(noticeItem))
      : nothing(t("no_notices")),
  ];
}

export function renderNotices(body, data) {
  append(body, [
    noticeList(t("district_notices"), data.district || []),
    noticeList(t("school_notices"), data.school || []),
  ]);
}
