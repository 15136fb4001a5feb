// Optional peers of @nestjs/graphql and @nestjs/mercurius whose types their declarations import: ts-morph (for
// schema-first type generation) and Mercurius's gateway. The GraphQL suite uses neither: the names are declared
// here, opaque, so the tests compile without installing them.
declare module 'ts-morph' {
  export type ClassDeclarationStructure = unknown;
  export type EnumDeclarationStructure = unknown;
  export type InterfaceDeclarationStructure = unknown;
  export type MethodDeclarationStructure = unknown;
  export type MethodSignatureStructure = unknown;
  export type OptionalKind<T> = T;
  export type ParameterDeclarationStructure = unknown;
  export type PropertyDeclarationStructure = unknown;
  export type PropertySignatureStructure = unknown;
  export type SourceFile = unknown;
  export type TypeAliasDeclarationStructure = unknown;
}

declare module '@mercuriusjs/gateway' {
  export type MercuriusGatewayOptions = unknown;
}
