def handler(event, context):
    if event:
        pass
    elif event == 0:
        pass
    elif event == 1:
        pass
    elif event == 2:
        pass
    elif event == 3:
        pass
    elif event == 4:
        pass
    elif event == 5:
        pass
    elif event == 6:
        pass
    elif event == 7:
        pass
    elif event == 8:
        pass
    elif event == 9:
        pass
    elif event == 10:
        pass
    elif event == 11:
        pass
    elif event == 12:
        pass
    elif event == 13:
        pass
    elif event == 14:
        pass
    elif event == 15:
        pass
    elif event == 16:
        pass
    elif event == 17:
        pass
    elif event == 18:
        pass
    elif event == 19:
        pass
    elif event == 20:
        pass
    elif event == 21:
        pass
    elif event == 22:
        pass
    elif event == 23:
        pass
    elif event == 24:
        pass
    elif event == 25:
        pass
    elif event == 26:
        pass
    elif event == 27:
        pass
    elif event == 28:
        pass
    elif event == 29:
        pass
    elif event == 30:
        pass
    elif event == 31:
        pass
    elif event == 32:
        pass
    elif event == 33:
        pass
    elif event == 34:
        pass
    elif event == 35:
        pass
    elif event == 36:
        pass
    elif event == 37:
        pass
    elif event == 38:
        pass
    elif event == 39:
        pass
    elif event == 40:
        pass
    elif event == 41:
        pass
    elif event == 42:
        pass
    elif event == 43:
        pass
    elif event == 44:
        pass
    elif event == 45:
        pass
    elif event == 46:
        pass
    elif event == 47:
        pass
    elif event == 48:
        pass
    elif event == 49:
        pass
    elif event == 50:
        pass
    elif event == 51:
        pass
    elif event == 52:
        pass
    elif event == 53:
        pass
    elif event == 54:
        pass
    elif event == 55:
        pass
    elif event == 56:
        pass
    elif event == 57:
        pass
    elif event == 58:
        pass
    elif event == 59:
        pass
    elif event == 60:
        pass
    elif event == 61:
        pass
    elif event == 62:
        pass
    elif event == 63:
        pass
    elif event == 64:
        pass
    elif event == 65:
        pass
    elif event == 66:
        pass
    elif event == 67:
        pass
    elif event == 68:
        pass
    elif event == 69:
        pass
    elif event == 70:
        pass
    elif event == 71:
        pass
    elif event == 72:
        pass
    elif event == 73:
        pass
    elif event == 74:
        pass
    elif event == 75:
        pass
    elif event == 76:
        pass
    elif event == 77:
        pass
    elif event == 78:
        pass
    elif event == 79:
        pass
    elif event == 80:
        pass
    elif event == 81:
        pass
    elif event == 82:
        pass
    elif event == 83:
        pass
    elif event == 84:
        pass
    elif event == 85:
        pass
    elif event == 86:
        pass
    elif event == 87:
        pass
    elif event == 88:
        pass
    elif event == 89:
        pass
    elif event == 90:
        pass
    elif event == 91:
        pass
    elif event == 92:
        pass
    elif event == 93:
        pass
    elif event == 94:
        pass
    elif event == 95:
        pass
    elif event == 96:
        pass
    elif event == 97:
        pass
    elif event == 98:
        pass
    elif event == 99:
        pass
    elif event == 100:
        pass
    elif event == 101:
        pass
    elif event == 102:
        pass
    elif event == 103:
        pass
    elif event == 104:
        pass
    elif event == 105:
        pass
    elif event == 106:
        pass
    elif event == 107:
        pass
    elif event == 108:
        pass
    elif event == 109:
        pass
    elif event == 110:
        pass
    elif event == 111:
        pass
    elif event == 112:
        pass
    elif event == 113:
        pass
    elif event == 114:
        pass
    elif event == 115:
        pass
    elif event == 116:
        pass
    elif event == 117:
        pass
    elif event == 118:
        pass
    elif event == 119:
        pass
    elif event == 120:
        pass
    elif event == 121:
        pass
    elif event == 122:
        pass
    elif event == 123:
        pass
    elif event == 124:
        pass
    elif event == 125:
        pass
    elif event == 126:
        pass
    elif event == 127:
        pass
    elif event == 128:
        pass
    elif event == 129:
        pass
    elif event == 130:
        pass
    elif event == 131:
        pass
    elif event == 132:
        pass
    elif event == 133:
        pass
    elif event == 134:
        pass
    elif event == 135:
        pass
    elif event == 136:
        pass
    elif event == 137:
        pass
    elif event == 138:
        pass
    elif event == 139:
        pass
    elif event == 140:
        pass
    elif event == 141:
        pass
    elif event == 142:
        pass
    elif event == 143:
        pass
    elif event == 144:
        pass
    elif event == 145:
        pass
    elif event == 146:
        pass
    elif event == 147:
        pass
    elif event == 148:
        pass
    elif event == 149:
        pass
    elif event == 150:
        pass
    elif event == 151:
        pass
    elif event == 152:
        pass
    elif event == 153:
        pass
    elif event == 154:
        pass
    elif event == 155:
        pass
    elif event == 156:
        pass
    elif event == 157:
        pass
    elif event == 158:
        pass
    elif event == 159:
        pass
    elif event == 160:
        pass
    elif event == 161:
        pass
    elif event == 162:
        pass
    elif event == 163:
        pass
    elif event == 164:
        pass
    elif event == 165:
        pass
    elif event == 166:
        pass
    elif event == 167:
        pass
    elif event == 168:
        pass
    elif event == 169:
        pass
    elif event == 170:
        pass
    elif event == 171:
        pass
    elif event == 172:
        pass
    elif event == 173:
        pass
    elif event == 174:
        pass
    elif event == 175:
        pass
    elif event == 176:
        pass
    elif event == 177:
        pass
    elif event == 178:
        pass
    elif event == 179:
        pass
    elif event == 180:
        pass
    elif event == 181:
        pass
    elif event == 182:
        pass
    elif event == 183:
        pass
    elif event == 184:
        pass
    elif event == 185:
        pass
    elif event == 186:
        pass
    elif event == 187:
        pass
    elif event == 188:
        pass
    elif event == 189:
        pass
    elif event == 190:
        pass
    elif event == 191:
        pass
    elif event == 192:
        pass
    elif event == 193:
        pass
    elif event == 194:
        pass
    elif event == 195:
        pass
    elif event == 196:
        pass
    elif event == 197:
        pass
    elif event == 198:
        pass
    elif event == 199:
        pass
    elif event == 200:
        pass
    elif event == 201:
        pass
    elif event == 202:
        pass
    elif event == 203:
        pass
    elif event == 204:
        pass
    elif event == 205:
        pass
    elif event == 206:
        pass
    elif event == 207:
        pass
    elif event == 208:
        pass
    elif event == 209:
        pass
    elif event == 210:
        pass
    elif event == 211:
        pass
    elif event == 212:
        pass
    elif event == 213:
        pass
    elif event == 214:
        pass
    elif event == 215:
        pass
    elif event == 216:
        pass
    elif event == 217:
        pass
    elif event == 218:
        pass
    elif event == 219:
        pass
    elif event == 220:
        pass
    elif event == 221:
        pass
    elif event == 222:
        pass
    elif event == 223:
        pass
    elif event == 224:
        pass
    elif event == 225:
        pass
    elif event == 226:
        pass
    elif event == 227:
        pass
    elif event == 228:
        pass
    elif event == 229:
        pass
    elif event == 230:
        pass
    elif event == 231:
        pass
    elif event == 232:
        pass
    elif event == 233:
        pass
    elif event == 234:
        pass
    elif event == 235:
        pass
    elif event == 236:
        pass
    elif event == 237:
        pass
    elif event == 238:
        pass
    elif event == 239:
        pass
    elif event == 240:
        pass
    elif event == 241:
        pass
    elif event == 242:
        pass
    elif event == 243:
        pass
    elif event == 244:
        pass
    elif event == 245:
        pass
    elif event == 246:
        pass
    elif event == 247:
        pass
    elif event == 248:
        pass
    elif event == 249:
        pass
    elif event == 250:
        pass
    elif event == 251:
        pass
    elif event == 252:
        pass
    elif event == 253:
        pass
    elif event == 254:
        pass
    elif event == 255:
        pass
    elif event == 256:
        pass
    elif event == 257:
        pass
    elif event == 258:
        pass
    elif event == 259:
        pass
    elif event == 260:
        pass
    elif event == 261:
        pass
    elif event == 262:
        pass
    elif event == 263:
        pass
    elif event == 264:
        pass
    elif event == 265:
        pass
    elif event == 266:
        pass
    elif event == 267:
        pass
    elif event == 268:
        pass
    elif event == 269:
        pass
    elif event == 270:
        pass
    elif event == 271:
        pass
    elif event == 272:
        pass
    elif event == 273:
        pass
    elif event == 274:
        pass
    elif event == 275:
        pass
    elif event == 276:
        pass
    elif event == 277:
        pass
    elif event == 278:
        pass
    elif event == 279:
        pass
    elif event == 280:
        pass
    elif event == 281:
        pass
    elif event == 282:
        pass
    elif event == 283:
        pass
    elif event == 284:
        pass
    elif event == 285:
        pass
    elif event == 286:
        pass
    elif event == 287:
        pass
    elif event == 288:
        pass
    elif event == 289:
        pass
    elif event == 290:
        pass
    elif event == 291:
        pass
    elif event == 292:
        pass
    elif event == 293:
        pass
    elif event == 294:
        pass
    elif event == 295:
        pass
    elif event == 296:
        pass
    elif event == 297:
        pass
    elif event == 298:
        pass
    elif event == 299:
        pass
    elif event == 300:
        pass
    elif event == 301:
        pass
    elif event == 302:
        pass
    elif event == 303:
        pass
    elif event == 304:
        pass
    elif event == 305:
        pass
    elif event == 306:
        pass
    elif event == 307:
        pass
    elif event == 308:
        pass
    elif event == 309:
        pass
    elif event == 310:
        pass
    elif event == 311:
        pass
    elif event == 312:
        pass
    elif event == 313:
        pass
    elif event == 314:
        pass
    elif event == 315:
        pass
    elif event == 316:
        pass
    elif event == 317:
        pass
    elif event == 318:
        pass
    elif event == 319:
        pass
    elif event == 320:
        pass
    elif event == 321:
        pass
    elif event == 322:
        pass
    elif event == 323:
        pass
    elif event == 324:
        pass
    elif event == 325:
        pass
    elif event == 326:
        pass
    elif event == 327:
        pass
    elif event == 328:
        pass
    elif event == 329:
        pass
    elif event == 330:
        pass
    elif event == 331:
        pass
    elif event == 332:
        pass
    elif event == 333:
        pass
    elif event == 334:
        pass
    elif event == 335:
        pass
    elif event == 336:
        pass
    elif event == 337:
        pass
    elif event == 338:
        pass
    elif event == 339:
        pass
    elif event == 340:
        pass
    elif event == 341:
        pass
    elif event == 342:
        pass
    elif event == 343:
        pass
    elif event == 344:
        pass
    elif event == 345:
        pass
    elif event == 346:
        pass
    elif event == 347:
        pass
    elif event == 348:
        pass
    elif event == 349:
        pass
    elif event == 350:
        pass
    elif event == 351:
        pass
    elif event == 352:
        pass
    elif event == 353:
        pass
    elif event == 354:
        pass
    elif event == 355:
        pass
    elif event == 356:
        pass
    elif event == 357:
        pass
    elif event == 358:
        pass
    elif event == 359:
        pass
    elif event == 360:
        pass
    elif event == 361:
        pass
    elif event == 362:
        pass
    elif event == 363:
        pass
    elif event == 364:
        pass
    elif event == 365:
        pass
    elif event == 366:
        pass
    elif event == 367:
        pass
    elif event == 368:
        pass
    elif event == 369:
        pass
    elif event == 370:
        pass
    elif event == 371:
        pass
    elif event == 372:
        pass
    elif event == 373:
        pass
    elif event == 374:
        pass
    elif event == 375:
        pass
    elif event == 376:
        pass
    elif event == 377:
        pass
    elif event == 378:
        pass
    elif event == 379:
        pass
    elif event == 380:
        pass
    elif event == 381:
        pass
    elif event == 382:
        pass
    elif event == 383:
        pass
    elif event == 384:
        pass
    elif event == 385:
        pass
    elif event == 386:
        pass
    elif event == 387:
        pass
    elif event == 388:
        pass
    elif event == 389:
        pass
    elif event == 390:
        pass
    elif event == 391:
        pass
    elif event == 392:
        pass
    elif event == 393:
        pass
    elif event == 394:
        pass
    elif event == 395:
        pass
    elif event == 396:
        pass
    elif event == 397:
        pass
    elif event == 398:
        pass
    elif event == 399:
        pass
