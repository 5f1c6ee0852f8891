// UI pieces the widget and the console share (DESIGN.md, "Packages"): one copy each.
export { Avatar, initials } from './Avatar.js';
export { fileSize } from './files.js';
export { Icon, type IconName } from './icons.js';
export { Linkified } from './Linkified.js';
export { type DayWords, dayKey, dayLabel, formatTime, listTime, sameDay, shortDuration } from './time.js';
