import { en } from '../strings.js';

export default en;
