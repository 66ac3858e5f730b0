import type { SyntaxNode } from './types';

/** What an identifier occurrence does. */
export type Role =
  | { role: 'ref' }
  | { role: 'ignore' }
  | { role: 'global' | 'nonlocal' }
  | {
      role: 'binding';
      /** `value`: bound to `value` (with `path` into a tuple); `iter`: a loop over `value`; `opaque`: anything else. */
      kind: 'value' | 'iter' | 'opaque';
      value?: SyntaxNode;
      path?: number[];
      /** Walrus targets bind in the enclosing function, not in a comprehension. */
      skipComprehensions?: boolean;
    };

const REF: Role = { role: 'ref' };
const IGNORE: Role = { role: 'ignore' };

const TARGET_CONTAINERS = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'parenthesized_expression',
  'expression_list',
]);
const STAR_CONTAINERS = new Set(['list_splat_pattern', 'list_splat']);
const IMPORT_NODES = new Set([
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'aliased_import',
  'relative_import',
]);
const PATTERN_NODES = new Set([
  'case_pattern',
  'keyword_pattern',
  'as_pattern',
  'dict_pattern',
  'list_pattern',
  'union_pattern',
  'tuple_pattern',
  'splat_pattern',
]);
/** Bounds on climbing the tree, so deeply nested input costs a fixed amount. */
const MAX_CLIMB = 256;

export function isField(parent: SyntaxNode, field: string, child: SyntaxNode): boolean {
  const f = parent.childForFieldName(field);
  return f !== null && f.id === child.id;
}

function namedIndex(parent: SyntaxNode, child: SyntaxNode): number {
  let i = 0;
  for (const c of parent.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.id === child.id) return i;
    i++;
  }
  return -1;
}

/** Unwraps `a = b = value` to `value`. */
function assignedValue(assignment: SyntaxNode): SyntaxNode | undefined {
  let right = assignment.childForFieldName('right');
  for (let i = 0; right && right.type === 'assignment' && i < MAX_CLIMB; i++)
    right = right.childForFieldName('right');
  return right ?? undefined;
}

/** Classifies one identifier node: a reference, a binding (and of what), or neither. */
export function classifyIdentifier(node: SyntaxNode): Role {
  const p = node.parent;
  if (!p) return REF;
  switch (p.type) {
    case 'keyword_argument':
      return isField(p, 'name', node) ? IGNORE : REF;
    case 'function_definition':
    case 'class_definition':
      return isField(p, 'name', node) ? { role: 'binding', kind: 'opaque' } : REF;
    case 'parameters':
    case 'lambda_parameters':
      return paramBinding(p.parent, undefined);
    case 'typed_parameter':
      return paramBinding(p.parent?.parent ?? null, undefined);
    case 'default_parameter':
    case 'typed_default_parameter':
      return isField(p, 'name', node)
        ? paramBinding(p.parent?.parent ?? null, p.childForFieldName('value') ?? undefined)
        : REF;
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern': {
      const gp = p.parent;
      if (gp && (gp.type === 'parameters' || gp.type === 'lambda_parameters'))
        return paramBinding(gp.parent, undefined);
      if (gp && gp.type === 'typed_parameter') return paramBinding(gp.parent?.parent ?? null, undefined);
      return climbTargets(node);
    }
    case 'assignment':
      if (!isField(p, 'left', node)) return REF;
      return p.childForFieldName('right')
        ? { role: 'binding', kind: 'value', value: assignedValue(p) }
        : { role: 'binding', kind: 'opaque' };
    case 'augmented_assignment':
      return isField(p, 'left', node) ? { role: 'binding', kind: 'opaque' } : REF;
    case 'for_statement':
    case 'for_in_clause':
      return isField(p, 'left', node)
        ? { role: 'binding', kind: 'iter', value: p.childForFieldName('right') ?? undefined }
        : REF;
    case 'as_pattern_target':
      return { role: 'binding', kind: 'opaque' };
    case 'as_pattern':
      // `case P as name`; in `with x as y` / `except E as e` the target sits in an as_pattern_target.
      return node.startIndex > p.startIndex ? { role: 'binding', kind: 'opaque' } : REF;
    case 'named_expression':
      return isField(p, 'name', node)
        ? {
            role: 'binding',
            kind: 'value',
            value: p.childForFieldName('value') ?? undefined,
            skipComprehensions: true,
          }
        : REF;
    case 'global_statement':
      return { role: 'global' };
    case 'nonlocal_statement':
      return { role: 'nonlocal' };
    case 'dotted_name': {
      const gp = p.parent;
      if (!gp || IMPORT_NODES.has(gp.type)) return IGNORE;
      if (PATTERN_NODES.has(gp.type) && p.namedChildCount === 1) return { role: 'binding', kind: 'opaque' };
      return REF;
    }
    case 'keyword_pattern':
      return node.startIndex === p.startIndex ? IGNORE : { role: 'binding', kind: 'opaque' };
    case 'splat_pattern':
      return { role: 'binding', kind: 'opaque' };
    case 'aliased_import':
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
    case 'relative_import':
    case 'delete_statement':
    case 'type_parameter':
      return IGNORE;
    default:
      if (TARGET_CONTAINERS.has(p.type) || STAR_CONTAINERS.has(p.type)) return climbTargets(node);
      return REF;
  }
}

function paramBinding(fn: SyntaxNode | null, value: SyntaxNode | undefined): Role {
  if (!fn) return IGNORE;
  return value ? { role: 'binding', kind: 'value', value } : { role: 'binding', kind: 'opaque' };
}

/** An identifier inside a tuple or list: a target of an assignment or loop, or part of an expression. */
function climbTargets(node: SyntaxNode): Role {
  let cur = node;
  const path: number[] = [];
  let starred = false;
  for (let i = 0; i < 32; i++) {
    const p = cur.parent;
    if (!p) return REF;
    if (TARGET_CONTAINERS.has(p.type)) {
      if (p.type !== 'parenthesized_expression') path.unshift(namedIndex(p, cur));
      cur = p;
      continue;
    }
    if (STAR_CONTAINERS.has(p.type)) {
      starred = true;
      cur = p;
      continue;
    }
    if (p.type === 'assignment' && isField(p, 'left', cur)) {
      return starred || !p.childForFieldName('right')
        ? { role: 'binding', kind: 'opaque' }
        : { role: 'binding', kind: 'value', value: assignedValue(p), path };
    }
    if (p.type === 'augmented_assignment' && isField(p, 'left', cur))
      return { role: 'binding', kind: 'opaque' };
    if ((p.type === 'for_statement' || p.type === 'for_in_clause') && isField(p, 'left', cur)) {
      return starred
        ? { role: 'binding', kind: 'opaque' }
        : { role: 'binding', kind: 'iter', value: p.childForFieldName('right') ?? undefined, path };
    }
    if (p.type === 'as_pattern_target' || PATTERN_NODES.has(p.type))
      return { role: 'binding', kind: 'opaque' };
    if (p.type === 'delete_statement') return IGNORE;
    return REF;
  }
  return REF;
}

/** The identifiers a target (`a`, `a, (b, *c)`, `[x, y]`) binds. */
export function targetIdentifiers(target: SyntaxNode, out: SyntaxNode[], attributes?: SyntaxNode[]): void {
  const stack = [target];
  while (stack.length > 0 && out.length < 64) {
    const n = stack.pop() as SyntaxNode;
    if (n.type === 'identifier') out.push(n);
    else if (n.type === 'attribute') {
      const attr = n.childForFieldName('attribute');
      if (attr && attributes && attributes.length < 64) attributes.push(attr);
    } else if (TARGET_CONTAINERS.has(n.type) || STAR_CONTAINERS.has(n.type)) {
      for (const c of n.namedChildren) if (c) stack.push(c);
    }
  }
}

/**
 * The names a value at `node` is bound to when it flows straight into them: `f = node`, `a = b = node`,
 * `f, g = node, x` (conservatively every target), `(f := node)`, `def h(f=node)`, `for f in (node, ...)`,
 * `f = lambda: node`, `f = node if c else g`. Attribute targets (`self.f = node`) go to `attributes`.
 */
export function aliasTargets(node: SyntaxNode, attributes?: SyntaxNode[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  let cur = node;
  for (let i = 0; i < 16; i++) {
    const p = cur.parent;
    if (!p) break;
    const t = p.type;
    if (
      TARGET_CONTAINERS.has(t) ||
      t === 'set' ||
      t === 'conditional_expression' ||
      t === 'boolean_operator'
    ) {
      cur = p;
      continue;
    }
    if (t === 'lambda' && isField(p, 'body', cur)) {
      cur = p;
      continue;
    }
    if (t === 'assignment' && isField(p, 'right', cur)) {
      const left = p.childForFieldName('left');
      if (left) targetIdentifiers(left, out, attributes);
      cur = p;
      continue;
    }
    if (t === 'named_expression' && isField(p, 'value', cur)) {
      const name = p.childForFieldName('name');
      if (name) out.push(name);
      break;
    }
    if ((t === 'default_parameter' || t === 'typed_default_parameter') && isField(p, 'value', cur)) {
      const name = p.childForFieldName('name');
      if (name && name.type === 'identifier') out.push(name);
      break;
    }
    if ((t === 'for_statement' || t === 'for_in_clause') && isField(p, 'right', cur)) {
      const left = p.childForFieldName('left');
      if (left) targetIdentifiers(left, out);
      break;
    }
    break;
  }
  return out;
}
