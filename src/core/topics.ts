/** Announcement topics a citizen can subscribe to; labels live in the locales (`topics.<id>`). */
export const TOPICS = ["thong-bao-chung", "dich-vu-cong", "thu-tuc-moi", "khao-sat"] as const;
export type Topic = (typeof TOPICS)[number];
