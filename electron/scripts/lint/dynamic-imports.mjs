// ESLint rule: the layer rules for `import(...)`, which no-restricted-imports does not see.
// Options: { regex, message }. A literal specifier matching `regex` is reported with `message`;
// a computed specifier is reported too, since no rule can tell where it leads.
export const noRestrictedDynamicImport = {
  meta: {
    type: 'problem',
    docs: { description: 'Apply the import layer rules to dynamic import() as well' },
    schema: [{ type: 'object', properties: { regex: { type: 'string' }, message: { type: 'string' } }, required: ['regex', 'message'], additionalProperties: false }],
  },
  create(context) {
    const { regex, message } = context.options[0];
    const restricted = new RegExp(regex);
    return {
      ImportExpression(node) {
        const source = node.source;
        if (source.type === 'Literal' && typeof source.value === 'string') {
          if (restricted.test(source.value)) context.report({ node, message: `${message} (import('${source.value}'))` });
        } else if (!(source.type === 'TemplateLiteral' && source.expressions.length === 0)) {
          context.report({ node, message: `${message} A computed import() specifier cannot be checked against the layers: name the module.` });
        } else if (restricted.test(source.quasis[0].value.cooked ?? '')) {
          context.report({ node, message });
        }
      },
    };
  },
};

export const layeringPlugin = { rules: { 'no-restricted-dynamic-import': noRestrictedDynamicImport } };
