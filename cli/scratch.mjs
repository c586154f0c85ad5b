import * as Lib from "effect-openai-admin"
import { SchemaAST } from "effect"
const l = Lib.Users.endpoints.list
const ast = SchemaAST.typeAST(l.params.ast)
console.log(ast._tag)
for (const p of ast.propertySignatures) console.log(p.name, p.isOptional, p.type._tag, p.type._tag === "Union" ? p.type.types.map(t => t._tag + (t.annotations ? JSON.stringify(Object.getOwnPropertySymbols(t.annotations).map(s => [s.toString(), String(t.annotations[s])])) : "")) : "", p.type._tag === "Refinement" ? Object.getOwnPropertySymbols(p.type.annotations).map(s => s.toString()+"="+String(p.type.annotations[s])) : "")
const it = SchemaAST.typeAST(l.item.ast)
console.log(it._tag)
for (const p of it.propertySignatures) console.log(p.name, p.isOptional, p.type._tag, p.type._tag === "Union" ? p.type.types.map(t => t._tag) : "", String(p.type.annotations?.[SchemaAST.DescriptionAnnotationId]))
console.log(Object.keys(Lib))
