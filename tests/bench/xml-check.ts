// A strict little well-formedness checker for the SVG the harness writes (no XML dependency in the project):
// balanced tags, one root, quoted and unique attributes, only the five predefined entities, no stray '<' or '&'.

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function decodeText(raw: string, where: number): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '<') throw new Error(`stray '<' at ${where + i}`);
    if (c === '&') {
      const m = ENTITY.exec(raw.slice(i));
      if (m === null) throw new Error(`bad entity at ${where + i}: ${raw.slice(i, i + 10)}`);
      out += m[1] === 'amp' ? '&' : m[1] === 'lt' ? '<' : m[1] === 'gt' ? '>' : m[1] === 'quot' ? '"' : m[1] === 'apos' ? "'" : '?';
      i += m[0].length - 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** Parses `xml`; throws with a position on anything not well-formed. Returns the root element. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${i}`);
    if (stack.length > 0) stack[stack.length - 1]!.text += decodeText(text, i);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(xml.slice(i));
      if (m === null) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (open === undefined || open.name !== m[1]) throw new Error(`</${m[1]}> at ${i} closes <${open?.name ?? 'nothing'}>`);
      i += m[0].length;
      continue;
    }
    i++;
    const nameMatch = NAME.exec(xml.slice(i));
    if (nameMatch === null) throw new Error(`bad tag name at ${i}`);
    const element: XmlElement = { name: nameMatch[0], attributes: new Map(), children: [], text: '' };
    i += nameMatch[0].length;
    const attributes = element.attributes as Map<string, string>;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith('/>', i) || xml.startsWith('>', i)) break;
      if (ws.length === 0) throw new Error(`attributes must be separated by whitespace at ${i}`);
      const attr = /^([A-Za-z_][\w.:-]*)="([^"<]*)"/.exec(xml.slice(i));
      if (attr === null) throw new Error(`bad attribute at ${i}: ${xml.slice(i, i + 20)}`);
      if (attributes.has(attr[1]!)) throw new Error(`duplicate attribute ${attr[1]} at ${i}`);
      attributes.set(attr[1]!, decodeText(attr[2]!, i));
      i += attr[0].length;
    }
    const selfClosing = xml.startsWith('/>', i);
    i += selfClosing ? 2 : 1;
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
    else if (root !== undefined) throw new Error(`second root element <${element.name}> at ${i}`);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Every element in document order. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    out.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}
