import type { Container, ContainerModuleLoadOptions } from 'inversify';
import type { Token } from './tokens.js';

/** The tokens of a factory's parameters, in order. */
export type TokensOf<Args extends readonly unknown[]> = {
  readonly [K in keyof Args]: Token<Args[K]>;
};

/**
 * Bind `token` to what `factory` makes of the services behind `dependencies`, made once. The
 * tokens must hold what the factory takes, in its order, and the factory must make what `token`
 * holds: a swapped or wrong token does not compile.
 */
export function provide<T, Args extends unknown[]>(
  bind: ContainerModuleLoadOptions['bind'],
  token: Token<T>,
  dependencies: TokensOf<Args>,
  factory: (...args: Args) => T,
): void {
  // Inversify's own typing accepts any symbol for any type: the check is TokensOf's.
  bind(token)
    .toResolvedValue(factory, dependencies as never)
    .inSingletonScope();
}

/** Bind `token` to a value made beforehand. */
export function provideValue<T>(
  bind: ContainerModuleLoadOptions['bind'],
  token: Token<T>,
  value: T,
): void {
  bind(token).toConstantValue(value);
}

/** The service behind `token`, as the type it holds. */
export function resolve<T>(container: Container, token: Token<T>): T {
  return container.get<T>(token);
}
